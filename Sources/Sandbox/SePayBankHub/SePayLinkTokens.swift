import Foundation

/// Link tokens and the Hosted Link flow that consumes them.
extension SePayWorld {
    static let purposes = ["LINK_BANK_ACCOUNT", "UNLINK_BANK_ACCOUNT"]
    /// The banks the SePay sandbox offers, as `brand_name`s.
    static let sandboxBanks = ["ACB", "BIDV", "MBBank", "OCB", "KienLongBank", "MSB", "Vietinbank"]
    static let liveOnlyBanks = ["VPBank", "TPBank"]
    /// The sandbox OTPs: personal logins and business logins.
    static let individualOTP = "12345678"
    static let enterpriseOTP = "55556666"
    static let revokedMessage = "Liên kết đã được thu hồi thành công"

    /// `Active`, `Used`, `Revoked`, or `Expired` once an active token's `expires_at` has passed.
    static func status(of token: LinkToken, now: Date) -> String {
        token.status == "Active" && now.timeIntervalSince1970 >= token.expiresAt ? "Expired" : token.status
    }

    /// `POST /v1/link-token/create`: a new link token and the URL of its hosted page.
    ///
    /// Invalid input, an unknown company included, is the seed page's `400 Validation error`; an UNLINK for a bank
    /// account the company does not have is 404.
    func createLinkToken(merchant: String, body: [String: SePayJSON], ttl: TimeInterval, hostedBase: String, now: Date) -> SePayAnswer {
        guard case .string(let companyXID)? = body["company_xid"], let company = company(companyXID, merchant: merchant) else {
            return .validationError
        }
        guard case .string(let purpose)? = body["purpose"], Self.purposes.contains(purpose) else { return .validationError }
        var redirect: String?
        switch body["completion_redirect_uri"] {
        case nil, .null?: break
        case .string(let text)? where text.isEmpty: break
        case .string(let text)?:
            guard let url = URLComponents(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty,
                text.count <= 2048
            else { return .validationError }
            redirect = text
        default: return .validationError
        }
        var mobile = 0
        switch body["is_mobile_app"] {
        case nil, .null?: break
        case .int(let value)? where value == 0 || value == 1: mobile = value
        case .string(let value)? where value == "0" || value == "1": mobile = Int(value)!
        default: return .validationError
        }
        var language = "vi"
        switch body["language"] {
        case nil, .null?: break
        case .string(let value)? where ["vi", "en"].contains(value): language = value
        default: return .validationError
        }
        var accountXID: String?
        if purpose == "UNLINK_BANK_ACCOUNT" {
            guard case .string(let text)? = body["bank_account_xid"], !text.isEmpty else { return .validationError }
            guard let account = bankAccount(text, merchant: merchant), account.companyXid == company.xid else { return .notFound }
            accountXID = account.xid
        }
        let stamp = SePayText.timestamp(now)
        let xid = SePayText.newXID()
        let created = Self.event("LINK_TOKEN_CREATED", ["purpose": .string(purpose), "link_token_xid": .string(xid), "link_session_xid": nil], now: now)
        let token = LinkToken(
            xid: xid, token: SePayText.newXID(), merchant: merchant, companyXid: company.xid, purpose: purpose,
            completionRedirectURI: redirect, isMobileApp: mobile, language: language, bankAccountXid: accountXID, status: "Active",
            sessionCount: 0, sessions: [], events: [created], createdAt: stamp, updatedAt: stamp,
            expiresAt: now.timeIntervalSince1970 + ttl)
        do {
            try commit { world in world.linkTokens.append(token) }
        } catch {
            return .unavailable(error)
        }
        return SePayAnswer(
            status: 201,
            body: [
                "xid": .string(token.xid), "hosted_link_url": .string("\(hostedBase)/\(token.token)"), "link_token": .string(token.token),
                "expires_at": .string(Self.expiry(token)),
            ],
            events: [created], webhook: webhook(for: merchant))
    }

    /// `POST /v1/link-token/get` by the token string.
    func linkTokenInfo(merchant: String, body: [String: SePayJSON], now: Date) -> SePayAnswer {
        let text: String
        switch body["link_token"] {
        case .string(let value)? where !value.isEmpty: text = value
        case nil, .null?, .string?: return .badRequest(["link_token": "The link token field is required."])
        default: return .badRequest(["link_token": "The link token must be a string."])
        }
        guard SePayText.isUUID(text) else { return .badRequest(["link_token": "The link token must be a valid UUID."]) }
        guard let token = snapshot.linkTokens.first(where: { $0.token == text.lowercased() && $0.merchant == merchant }) else { return .notFound }
        let company = snapshot.companies.first { $0.xid == token.companyXid }
        return .ok([
            "xid": .string(token.xid), "purpose": .string(token.purpose), "status": .string(Self.status(of: token, now: now)),
            "completion_redirect_uri": .optional(token.completionRedirectURI), "is_mobile_app": .int(token.isMobileApp),
            "language": .string(token.language), "session_count": .int(token.sessionCount),
            "created_at": .string(token.createdAt), "updated_at": .string(token.updatedAt), "expires_at": .string(Self.expiry(token)),
            "company": [
                "full_name": .optional(company?.fullName), "status": .optional(company?.status), "xid": .string(token.companyXid),
            ],
            "sessions": .array(token.sessions.map { session in
                [
                    "xid": .string(session.xid), "context": nil, "state": .string(session.state), "status": .string(session.status),
                    "result": session.result, "finished_at": .optional(session.finishedAt), "expires_at": .string(session.expiresAt),
                    "created_at": .string(session.createdAt), "updated_at": .string(session.updatedAt),
                ]
            }),
            "events": .array(token.events.map { event in
                ["xid": .string(event.xid), "name": .string(event.name), "metadata": event.metadata, "created_at": .string(event.createdAt)]
            }),
        ])
    }

    /// `POST /v1/link-token/revoke` by the token's xid; a revoked or unknown token is 404.
    func revokeLinkToken(merchant: String, body: [String: SePayJSON], now: Date) -> SePayAnswer {
        let text: String
        switch body["link_token_xid"] {
        case .string(let value)? where !value.isEmpty: text = value
        case nil, .null?, .string?: return .badRequest(["link_token_xid": "The link token xid field is required."])
        default: return .badRequest(["link_token_xid": "The link token xid must be a string."])
        }
        guard SePayText.isUUID(text) else { return .badRequest(["link_token_xid": "The link token xid must be a valid UUID."]) }
        guard let index = snapshot.linkTokens.firstIndex(where: { $0.xid == text.lowercased() && $0.merchant == merchant }),
            snapshot.linkTokens[index].status != "Revoked"
        else { return .notFound }
        let token = snapshot.linkTokens[index]
        let revoked = Self.event(
            "LINK_TOKEN_REVOKED", ["link_token_xid": .string(token.xid), "link_session_xid": .optional(token.sessions.last?.xid)], now: now)
        do {
            try commit { world in
                world.linkTokens[index].status = "Revoked"
                world.linkTokens[index].updatedAt = SePayText.timestamp(now)
                world.linkTokens[index].events.append(revoked)
            }
        } catch {
            return .unavailable(error)
        }
        return SePayAnswer(status: 200, body: ["message": .string(Self.revokedMessage)], events: [revoked], webhook: webhook(for: merchant))
    }

    static func expiry(_ token: LinkToken) -> String {
        SePayText.timestamp(Date(timeIntervalSince1970: token.expiresAt))
    }

    // MARK: Hosted Link

    /// What the hosted page shows.
    struct HostedView: Sendable {
        var token: LinkToken
        var companyName: String
        var account: BankAccount?
        var css: String?
        var logoURL: String?
    }

    enum HostedOutcome: Sendable {
        case unknown
        /// The token can no longer be used; the words say why, in the token's language on a page.
        case gone(SePayWords, language: String)
        case page(HostedView)
        /// Missing or wrong input (a wrong OTP included); the view is nil when the body could not be read.
        case invalid([String: SePayWords], HostedView?)
        /// The world could not be written.
        case unavailable(String)
        /// The flow finished: the linked or unlinked account, and where to send the user.
        case completed(token: LinkToken, bankAccountXID: String, unlinked: Bool)
    }

    struct HostedResult: Sendable {
        var outcome: HostedOutcome
        var events: [Event] = []
        var webhook: Webhook?
    }

    /// The token by its string, if it is still usable; otherwise why not.
    func usableToken(_ text: String, now: Date) -> Result<Int, HostedOutcomeError> {
        guard SePayText.isUUID(text), let index = snapshot.linkTokens.firstIndex(where: { $0.token == text.lowercased() }) else {
            return .failure(HostedOutcomeError(outcome: .unknown))
        }
        let token = snapshot.linkTokens[index]
        switch Self.status(of: token, now: now) {
        case "Revoked": return .failure(HostedOutcomeError(outcome: .gone(.revoked, language: token.language)))
        case "Used": return .failure(HostedOutcomeError(outcome: .gone(.used, language: token.language)))
        case "Expired": return .failure(HostedOutcomeError(outcome: .gone(.expired(Self.expiry(token)), language: token.language)))
        default: return .success(index)
        }
    }

    struct HostedOutcomeError: Error {
        var outcome: HostedOutcome
    }

    func hostedView(_ token: LinkToken) -> HostedView {
        let config = merchantConfig(for: token.merchant)
        return HostedView(
            token: token, companyName: snapshot.companies.first { $0.xid == token.companyXid }?.fullName ?? "",
            account: token.bankAccountXid.flatMap { xid in snapshot.bankAccounts.first { $0.xid == xid } },
            css: config.css, logoURL: config.logoURL)
    }

    /// `GET /hosted/{link_token}`: counts an open, and starts or reopens the token's session.
    ///
    /// The first open starts a session (`LINK_SESSION_INITIALIZED` for a link), a later open of an unfinished
    /// session reopens it (`LINK_SESSION_REINITIALIZED`).
    func openHostedLink(_ text: String, now: Date) -> HostedResult {
        let index: Int
        switch usableToken(text, now: now) {
        case .success(let value): index = value
        case .failure(let error): return HostedResult(outcome: error.outcome)
        }
        var token = snapshot.linkTokens[index]
        token.sessionCount += 1
        var events: [Event] = []
        if let session = token.sessions.last, session.status == "Pending" {
            if token.purpose == "LINK_BANK_ACCOUNT" {
                events.append(Self.event(
                    "LINK_SESSION_REINITIALIZED", ["link_session_xid": .string(session.xid), "link_token_xid": .string(token.xid)], now: now))
            }
        } else {
            _ = Self.startSession(of: &token, events: &events, now: now)
        }
        token.events += events
        token.updatedAt = SePayText.timestamp(now)
        do {
            try commit { world in world.linkTokens[index] = token }
        } catch {
            return HostedResult(outcome: .unavailable("The sandbox cannot save its world: \(error)"))
        }
        return HostedResult(outcome: .page(hostedView(token)), events: events, webhook: webhook(for: token.merchant))
    }

    static func newSession(_ token: LinkToken, now: Date) -> Session {
        let stamp = SePayText.timestamp(now)
        return Session(
            xid: SePayText.newXID(), state: "PENDING", status: "Pending", result: nil, finishedAt: nil, expiresAt: expiry(token),
            createdAt: stamp, updatedAt: stamp)
    }

    /// Gives the token a new session; a link's session announces itself with `LINK_SESSION_INITIALIZED`.
    static func startSession(of token: inout LinkToken, events: inout [Event], now: Date) -> Session {
        let session = newSession(token, now: now)
        token.sessions.append(session)
        if token.purpose == "LINK_BANK_ACCOUNT" {
            events.append(event(
                "LINK_SESSION_INITIALIZED", ["link_session_xid": .string(session.xid), "link_token_xid": .string(token.xid)], now: now))
        }
        return session
    }

    /// The fields of the completion form, trimmed; a missing field reads as empty.
    struct HostedInput {
        let values: [String: String]

        subscript(_ name: String) -> String {
            (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// The field, or nil when it is empty.
        func optional(_ name: String) -> String? {
            self[name].isEmpty ? nil : self[name]
        }
    }

    /// What a completion changes in the world, and how its session ends.
    ///
    /// The linked accounts after it, the account it linked or unlinked, its events, and the session's last state and result.
    struct HostedStep {
        var accounts: [BankAccount]
        var accountXID: String
        var events: [Event]
        var state: String
        var result: SePayJSON
    }

    /// `POST /hosted/{link_token}/complete`: the whole bank step in one call.
    ///
    /// For a link, `bank`, `account_number`, `account_holder_name`, `otp` (and optionally `account_type`,
    /// `identification_number`, `phone_number`); for an unlink, `otp` only. A wrong OTP or missing field leaves the
    /// token usable.
    /// A completion repeated after the session finished (a double-click, a resent form) answers what the first did,
    /// with no new events; any other use of a used token is `gone`.
    func completeHostedLink(_ text: String, input: [String: String], now: Date) -> HostedResult {
        let index: Int
        switch usableToken(text, now: now) {
        case .success(let value): index = value
        case .failure(let error):
            return HostedResult(outcome: repeatedCompletion(text, input: HostedInput(values: input)) ?? error.outcome)
        }
        var token = snapshot.linkTokens[index]
        var events: [Event] = []
        var session: Session
        if let last = token.sessions.last, last.status == "Pending" {
            session = last
        } else {
            session = Self.startSession(of: &token, events: &events, now: now)
            token.sessionCount += 1
        }
        let ids: [String: SePayJSON] = ["link_token_xid": .string(token.xid), "link_session_xid": .string(session.xid)]
        let unlink = token.purpose == "UNLINK_BANK_ACCOUNT"
        let step: HostedStep
        switch unlink ? unlinkStep(token, input: HostedInput(values: input), ids: ids, now: now)
            : linkStep(token, input: HostedInput(values: input), ids: ids, now: now)
        {
        case .success(let value): step = value
        case .failure(let error): return HostedResult(outcome: error.outcome)
        }
        let stamp = SePayText.timestamp(now)
        session.state = step.state
        session.result = step.result
        session.status = "Completed"
        session.finishedAt = stamp
        session.updatedAt = stamp
        token.sessions[token.sessions.count - 1] = session
        token.status = "Used"
        token.updatedAt = stamp
        events += step.events
        token.events += events
        let finished = token
        do {
            try commit { world in
                world.sequence += unlink ? 0 : 1
                world.bankAccounts = step.accounts
                world.linkTokens[index] = finished
            }
        } catch {
            return HostedResult(outcome: .unavailable("The sandbox cannot save its world: \(error)"))
        }
        return HostedResult(
            outcome: .completed(token: finished, bankAccountXID: step.accountXID, unlinked: unlink), events: events,
            webhook: webhook(for: finished.merchant))
    }

    /// What the finished session of a used token answered, when `input` names the same account (any input, for an unlink).
    func repeatedCompletion(_ text: String, input: HostedInput) -> HostedOutcome? {
        guard let token = snapshot.linkTokens.first(where: { $0.token == text.lowercased() }), token.status == "Used",
            let session = token.sessions.last, session.status == "Completed",
            case .object(let result) = session.result, case .string(let accountXID)? = result["bank_account_xid"]
        else { return nil }
        if token.purpose == "UNLINK_BANK_ACCOUNT" { return .completed(token: token, bankAccountXID: accountXID, unlinked: true) }
        guard let account = snapshot.bankAccounts.first(where: { $0.xid == accountXID }),
            account.brandName.lowercased() == input["bank"].lowercased(),
            account.accountNumber == input["account_number"].replacingOccurrences(of: " ", with: "")
        else { return nil }
        return .completed(token: token, bankAccountXID: accountXID, unlinked: false)
    }

    /// The unlink of the token's account, once the OTP for it is right.
    func unlinkStep(_ token: LinkToken, input: HostedInput, ids: [String: SePayJSON], now: Date) -> Result<HostedStep, HostedOutcomeError> {
        var accounts = snapshot.bankAccounts
        guard let position = accounts.firstIndex(where: { $0.xid == token.bankAccountXid }) else {
            return .failure(HostedOutcomeError(outcome: .gone(.unlinkGone, language: token.language)))
        }
        let account = accounts[position]
        if let problem = Self.otpProblem(input["otp"], accountType: account.accountType) {
            return .failure(HostedOutcomeError(outcome: .invalid(["otp": problem], hostedView(token))))
        }
        let details: [String: SePayJSON] = [
            "brand_name": .string(account.brandName), "account_type": .string(account.accountType),
            "account_number": .string(account.accountNumber),
        ]
        let events = [
            Self.event("LINK_SESSION_STATE_CHANGED", ids.merging(details) { $1 }.merging(["state": "REQUEST_BANK_ACCOUNT_UNLINK"]) { $1 }, now: now),
            Self.event("BANK_ACCOUNT_UNLINKED", ids.merging(details) { $1 }.merging(["bank_account_xid": .string(account.xid)]) { $1 }, now: now),
            Self.event("LINK_SESSION_COMPLETED", ids.merging(["bank_account_xid": .string(account.xid), "unlinked": true]) { $1 }, now: now),
        ]
        accounts.remove(at: position)
        return .success(HostedStep(
            accounts: accounts, accountXID: account.xid, events: events, state: "FINISHED_BANK_ACCOUNT_UNLINK",
            result: ["bank_account_xid": .string(account.xid), "unlinked": true]))
    }

    /// The link of the account the form names, once every field and the OTP are right.
    func linkStep(_ token: LinkToken, input: HostedInput, ids: [String: SePayJSON], now: Date) -> Result<HostedStep, HostedOutcomeError> {
        var errors: [String: SePayWords] = [:]
        guard let fields = linkFields(input, merchant: token.merchant, errors: &errors) else {
            return .failure(HostedOutcomeError(outcome: .invalid(errors, hostedView(token))))
        }
        let stamp = SePayText.timestamp(now)
        let account = BankAccount(
            xid: SePayText.newXID(), merchant: token.merchant, companyXid: token.companyXid, brandName: fields.bank,
            accountHolderName: fields.holder, accountNumber: fields.number, accountType: fields.accountType,
            identificationNumber: input.optional("identification_number"), phoneNumber: input.optional("phone_number"), lastTransaction: nil,
            createdAt: stamp, updatedAt: stamp, sequence: snapshot.sequence + 1)
        let brand: [String: SePayJSON] = ["brand_name": .string(fields.bank), "account_type": .string(fields.accountType)]
        let details = brand.merging(["account_number": .string(fields.number), "account_holder_name": .string(fields.holder)]) { $1 }
        var events: [Event] = []
        for (state, shown) in [("REQUEST_BANK_ACCOUNT_LINK", brand), ("CONFIRM_BANK_ACCOUNT_LINK", details), ("FINISHED_BANK_ACCOUNT_LINK", details)] {
            events.append(Self.event("LINK_SESSION_STATE_CHANGED", ids.merging(shown) { $1 }.merging(["state": .string(state)]) { $1 }, now: now))
        }
        events.append(Self.event(
            "BANK_ACCOUNT_LINKED",
            ids.merging(brand) { $1 }.merging(["account_number": .string(fields.number), "bank_account_xid": .string(account.xid)]) { $1 },
            now: now))
        events.append(Self.event("LINK_SESSION_COMPLETED", ids.merging(["bank_account_xid": .string(account.xid)]) { $1 }, now: now))
        return .success(HostedStep(
            accounts: snapshot.bankAccounts + [account], accountXID: account.xid, events: events, state: "FINISHED_BANK_ACCOUNT_LINK",
            result: ["bank_account_xid": .string(account.xid)]))
    }

    /// The account a link form names, valid and not linked yet for this merchant.
    struct LinkFields {
        var bank: String
        var number: String
        var holder: String
        var accountType: String
    }

    /// The link form's fields; nil with every problem in `errors` when any is missing or wrong, the OTP included.
    func linkFields(_ input: HostedInput, merchant: String, errors: inout [String: SePayWords]) -> LinkFields? {
        let bank = Self.sandboxBanks.first { $0.lowercased() == input["bank"].lowercased() }
        if input["bank"].isEmpty {
            errors["bank"] = .chooseBank
        } else if Self.liveOnlyBanks.contains(where: { $0.lowercased() == input["bank"].lowercased() }) {
            errors["bank"] = .liveOnly(input["bank"], sandbox: Self.sandboxBanks.joined(separator: ", "))
        } else if bank == nil {
            errors["bank"] = .unknownBank(input["bank"], sandbox: Self.sandboxBanks.joined(separator: ", "))
        }
        let number = input["account_number"].replacingOccurrences(of: " ", with: "")
        if number.isEmpty {
            errors["account_number"] = .enterNumber
        } else if number.wholeMatch(of: /[0-9]{4,20}/) == nil {
            errors["account_number"] = .numberDigits
        } else if let bank, snapshot.bankAccounts.contains(where: { $0.merchant == merchant && $0.brandName == bank && $0.accountNumber == number }) {
            errors["account_number"] = .alreadyLinked(bank)
        }
        let holder = input["account_holder_name"]
        if holder.isEmpty {
            errors["account_holder_name"] = .enterHolder
        } else if holder.count > 200 {
            errors["account_holder_name"] = .holderTooLong
        }
        var accountType = "individual"
        switch input["account_type"].lowercased() {
        case "", "individual", "personal": break
        case "enterprise", "business": accountType = "enterprise"
        default: errors["account_type"] = .accountType
        }
        if let problem = Self.otpProblem(input["otp"], accountType: accountType) { errors["otp"] = problem }
        guard errors.isEmpty, let bank else { return nil }
        return LinkFields(bank: bank, number: number, holder: holder, accountType: accountType)
    }

    /// Why `otp` is not the sandbox OTP of an account of `accountType`; nil when it is.
    static func otpProblem(_ otp: String, accountType: String) -> SePayWords? {
        let expected = accountType == "enterprise" ? enterpriseOTP : individualOTP
        if otp.isEmpty { return .enterOTP(expected) }
        return otp == expected ? nil : .wrongOTP(expected)
    }
}
