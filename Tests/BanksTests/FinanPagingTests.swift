@testable import Banks
import Foundation
import PlanModel
import Reconciler
import Testing

/// Finan lists that come in pages: every page is read, and pages that do not add up are an error.
struct FinanPagingTests {
    let here = SourceLocation(file: "bank.yaml", line: 1, column: 1)

    /// A Finan server that pages `count` bank accounts, `size` a page, with `meta` as such servers send it.
    func pagingServer(count: Int, size: Int = 100, claimedTotal: Int? = nil) -> RecordingTransport {
        RecordingTransport { call in
            let page = call.url.split(separator: "page=").last.flatMap { Int($0) } ?? 1
            let items = (0..<count).dropFirst((page - 1) * size).prefix(size).map { #"{"account_id":"b\#($0)","account_name":"A \#($0)"}"# }
            let pages = (count + size - 1) / size
            let meta = #"{"current_page":\#(page),"page_count":\#(pages),"total":\#(claimedTotal ?? count)}"#
            return RecordingTransport.json(200, #"{"code":102000,"data":[\#(items.joined(separator: ","))],"meta":\#(meta)}"#)
        }
    }

    func provider(_ transport: RecordingTransport) -> BankProvider {
        FinanOne.provider(name: "finan", baseURL: "https://bank.example/open", clientID: "c", secretKey: Sensitive("s"), transport: transport)
    }

    var accounts: [Resource] {
        let master = ResourceAddress(instance: "finan", kind: "master_accounts", name: "main")
        return (0..<3).map { index in
            Resource(
                address: ResourceAddress(instance: "finan", kind: "bank_accounts", name: "a\(index)"), providerType: "finan-one", capability: .managed,
                attributes: ["account_name": .string("A \(index * 400)"), "master": .string("main")], references: ["master": master], location: here)
        }
    }

    @Test func everyPageOfAThousandAccountsIsReadSoNoneIsCreatedTwice() async throws {
        let transport = pagingServer(count: 1000)
        let observed = try await provider(transport).refresh(accounts, state: [:])
        #expect(observed[accounts[2].address] == .present(remoteID: "b800", attributes: ["account_name": .string("A 800"), "master": .string("main")]))
        let pages = transport.recorded.filter { $0.url.contains("/bank-accounts") }.map(\.url)
        #expect(pages.count == 10)
        #expect(pages.last == "https://bank.example/open/api/v1/bank-accounts?page=10")
    }

    @Test func pagesThatDoNotAddUpAreAnError() async throws {
        await #expect {
            _ = try await provider(pagingServer(count: 150, claimedTotal: 200)).refresh(accounts, state: [:])
        } throws: { error in
            guard let error = error as? ProviderError, case .malformed(let reason) = error.failure else { return false }
            return reason.contains("200 items") && reason.contains("held 150")
        }
    }

    /// Finan's unpaged list of 3,000 accounts (over 64 KB) is decoded a part at a time, as one pass would read it; an
    /// account that does not decode fails the list with the error one pass gives.
    @Test func aLongUnpagedListIsReadInPartsAndABadAccountFailsItAsOnePassDoes() async throws {
        func server(_ items: [String]) -> RecordingTransport {
            RecordingTransport { _ in RecordingTransport.json(200, #"{"code":102000,"data":[\#(items.joined(separator: ","))]}"#) }
        }
        var items = (0..<3000).map { #"{"account_id":"b\#($0)","account_name":"A \#($0)","status":"active"}"# }
        let observed = try await provider(server(items)).refresh(accounts, state: [:])
        #expect(observed[accounts[2].address] == .present(remoteID: "b800", attributes: ["account_name": .string("A 800"), "master": .string("main")]))

        items[2500] = #"{"account_id":2500,"account_name":"A 2500"}"#
        let body = Data(#"{"code":102000,"data":[\#(items.joined(separator: ","))]}"#.utf8)
        var onePass = ""
        do { _ = try JSONDecoder().decode(FinanEnvelope<FinanList<FinanAccount>>.self, from: body) } catch { onePass = "\(error)" }
        #expect(!onePass.isEmpty, "one pass refuses it")
        await #expect {
            _ = try await provider(server(items)).refresh(accounts, state: [:])
        } throws: { error in
            guard let error = error as? ProviderError, case .malformed(let reason) = error.failure else { return false }
            return reason == onePass && error.request.hasSuffix("/api/v1/bank-accounts")
        }
    }
}
