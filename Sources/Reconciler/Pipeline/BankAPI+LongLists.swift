import Foundation

extension BankAPI {
    /// Answers this long or longer have their list decoded a part at a time.
    static let partedListBytes = 64 * 1024
    /// Items decoded at once from a long list.
    static let itemsPerPart = 1_000

    /// Sends and decodes a success answer as `send(_:_:body:enveloped:)` does, with the array in the envelope's member
    /// `member` decoded as `Item`s a part at a time when the answer is long.
    ///
    /// `items` is nil when the answer was decoded whole (short, or not split by `ListMemberSplitter`): the envelope then
    /// holds the list itself. When it is not nil, the envelope was decoded with `null` in the member's place. A part
    /// that does not decode sends the whole answer to the one-pass decoder, so a malformed answer fails as it always has.
    public func send<Envelope: FaultReporting, Item: Decodable>(
        _ method: String, _ path: String, enveloped type: Envelope.Type, listIn member: String, of item: Item.Type
    ) async throws -> (envelope: Envelope, items: [Item]?, reply: HTTPReply) {
        let call = HTTPCall(method: method, url: baseURL + path, headers: [], body: nil)
        let reply = try await exchange(call)
        if (200..<300).contains(reply.status), let (envelope, items) = Self.decodedInParts(reply.body, Envelope.self, member: member, of: Item.self) {
            if let fault = envelope.fault { throw rejection(call, reply, fault) }
            return (envelope, items, reply)
        }
        return (try envelope(Envelope.self, of: call, reply), nil, reply)
    }

    /// The envelope of a long answer and the items of its member `member`, or nil when it is short, is not split or a
    /// part fails to decode.
    static func decodedInParts<Envelope: Decodable, Item: Decodable>(
        _ body: [UInt8], _ type: Envelope.Type, member: String, of item: Item.Type, minimumBytes: Int = partedListBytes
    ) -> (Envelope, [Item])? {
        guard body.count >= minimumBytes else { return nil }
        return body.withUnsafeBytes { bytes -> (Envelope, [Item])? in
            let decoder = JSONDecoder()
            guard let split = ListMemberSplitter.split(bytes, member: member),
                let envelope = try? decoder.decode(Envelope.self, from: Data(split.rest))
            else { return nil }
            var items: [Item] = []
            items.reserveCapacity(split.items.count)
            var part: [UInt8] = []
            for first in stride(from: 0, to: split.items.count, by: itemsPerPart) {
                let ranges = split.items[first..<min(first + itemsPerPart, split.items.count)]
                part.removeAll(keepingCapacity: true)
                part.append(UInt8(ascii: "["))
                part.append(contentsOf: bytes[ranges.first!.lowerBound..<ranges.last!.upperBound])
                part.append(UInt8(ascii: "]"))
                guard let decoded = try? decoder.decode([Item].self, from: Data(part)) else { return nil }
                items.append(contentsOf: decoded)
            }
            return (envelope, items)
        }
    }
}
