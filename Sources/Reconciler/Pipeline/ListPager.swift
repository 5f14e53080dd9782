/// What one page of a list says about the rest, in whichever words the bank uses.
public struct PageInfo: Sendable, Equatable {
    public var hasMore: Bool?
    public var page: Int?
    public var pageCount: Int?
    /// Items in the whole list.
    public var total: Int?

    public init(hasMore: Bool? = nil, page: Int? = nil, pageCount: Int? = nil, total: Int? = nil) {
        self.hasMore = hasMore
        self.page = page
        self.pageCount = pageCount
        self.total = total
    }

    /// More pages follow page `page` holding `seen` items so far.
    func morePages(after page: Int, seen: Int) -> Bool {
        if let hasMore { return hasMore }
        if let pageCount { return page < pageCount }
        if let total { return seen < total }
        return false
    }
}

/// Reads every page of a list, for every bank: pages follow while the answer says so (`has_more`, a page
/// count or a total), and a list whose pages do not add up is an error rather than a silent short read.
public enum ListPager {
    /// The most pages read from one list; a list that claims more is an error.
    public static let pageLimit = 10_000

    public struct Inconsistent: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Every item, page 1 first. `fetch(page)` returns the page's items and what it says of the rest (nil: not paged).
    ///
    /// Refused as inconsistent: a page that says more follow but holds nothing, a total or page count that changes
    /// from one page to the next (the list changed while it was read), and a total the pages do not add up to.
    public static func all<Item: Sendable>(
        _ fetch: (Int) async throws -> (items: [Item], info: PageInfo?)
    ) async throws -> [Item] {
        var items: [Item] = []
        var page = 1
        var first: PageInfo?
        while true {
            let (part, info) = try await fetch(page)
            // A list of one page is that page, not a copy of it.
            if items.isEmpty { items = part } else { items += part }
            if let info { try checkSteady(info, first: &first, page: page) }
            guard let info, info.morePages(after: page, seen: items.count) else {
                try check(total: info?.total, seen: items.count, pages: page)
                return items
            }
            guard !part.isEmpty else {
                throw Inconsistent(reason: "page \(page) is empty but the list says more follow (\(items.count) items read)")
            }
            guard page < pageLimit else { throw Inconsistent(reason: "the list has more than \(pageLimit) pages") }
            page += 1
        }
    }

    /// The total and page count every page announces must be the first page's: otherwise objects moved between pages.
    static func checkSteady(_ info: PageInfo, first: inout PageInfo?, page: Int) throws {
        guard let earlier = first else {
            first = info
            return
        }
        if let total = info.total, let said = earlier.total, total != said {
            throw Inconsistent(reason: "the list changed while it was read: page 1 said \(said) items, page \(page) says \(total)")
        }
        if let count = info.pageCount, let said = earlier.pageCount, count != said {
            throw Inconsistent(reason: "the list changed while it was read: page 1 said \(said) pages, page \(page) says \(count)")
        }
    }

    static func check(total: Int?, seen: Int, pages: Int) throws {
        guard let total, total != seen else { return }
        throw Inconsistent(reason: "the list says it holds \(total) items, but its \(pages) page(s) held \(seen)")
    }
}
