import Foundation

/// The merchant's own settings: display/filter config, logo, and the event webhook.
extension SePayWorld {
    static let eventNames = [
        "LINK_TOKEN_CREATED", "LINK_TOKEN_REVOKED", "LINK_TOKEN_EXPIRED",
        "LINK_SESSION_INITIALIZED", "LINK_SESSION_REINITIALIZED", "LINK_SESSION_STATE_CHANGED", "LINK_SESSION_COMPLETED",
        "LINK_SESSION_FAILED", "LINK_SESSION_ABANDONED", "LINK_SESSION_EXPIRED",
        "BANK_ACCOUNT_LINKED", "BANK_ACCOUNT_UNLINKED", "BANK_ACCOUNT_INACTIVATED",
    ]
    /// The event page's spelling of `BANK_ACCOUNT_INACTIVATED`, accepted in `allow_events` as the same event.
    static let inactivatedAlias = "BANK_ACCOUNT_INACTIVED"
    static let webhookSavedMessage = "Cập nhật cấu hình webhook thành công."

    // MARK: Merchant config

    func merchantConfig(for merchant: String) -> MerchantConfig {
        snapshot.merchantConfigs.first { $0.merchant == merchant } ?? MerchantConfig(merchant: merchant)
    }

    func merchantConfigAnswer(merchant: String) -> SePayAnswer {
        .ok(["data": Self.rendered(merchantConfig(for: merchant))])
    }

    /// `POST /v1/merchant-config`: partial; keywords must be an array of strings, the CSS a string without `<script`.
    func updateMerchantConfig(merchant: String, body: [String: SePayJSON]) -> SePayAnswer {
        var config = merchantConfig(for: merchant)
        var errors: [String: String] = [:]
        switch body["transaction_whitelist_remark_keywords"] {
        case nil: break
        case .array(let items)?:
            let keywords = items.compactMap(\.string)
            if keywords.count != items.count {
                errors["transaction_whitelist_remark_keywords"] = "Every keyword must be a string."
            } else if keywords.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 255 }) {
                errors["transaction_whitelist_remark_keywords"] = "Every keyword must be 1 to 255 characters."
            } else {
                config.keywords = keywords
            }
        default:
            errors["transaction_whitelist_remark_keywords"] = "The transaction whitelist remark keywords must be an array."
        }
        switch body["global_hosted_link_custom_css"] {
        case nil: break
        case .null?: config.css = nil
        case .string(let css)?:
            if css.lowercased().contains("<script") {
                errors["global_hosted_link_custom_css"] = "The custom CSS must not contain script."
            } else if css.count > 65_535 {
                errors["global_hosted_link_custom_css"] = "The custom CSS may not be greater than 65535 characters."
            } else {
                config.css = css.isEmpty ? nil : css
            }
        default:
            errors["global_hosted_link_custom_css"] = "The custom CSS must be a string."
        }
        guard errors.isEmpty else { return .badRequest(errors) }
        do {
            try commit { world in Self.store(config, in: &world) }
        } catch {
            return .unavailable(error)
        }
        return .ok(["data": Self.rendered(config)])
    }

    static func store(_ config: MerchantConfig, in world: inout Snapshot) {
        if let index = world.merchantConfigs.firstIndex(where: { $0.merchant == config.merchant }) {
            world.merchantConfigs[index] = config
        } else {
            world.merchantConfigs.append(config)
        }
    }

    static func rendered(_ config: MerchantConfig) -> SePayJSON {
        [
            "transaction_whitelist_remark_keywords": .array(config.keywords.map(SePayJSON.string)),
            "global_hosted_link_custom_css": .optional(config.css),
            "logo_url": .optional(config.logoURL),
        ]
    }

    // MARK: Logo

    static let maximumLogoBytes = 1_048_576

    /// `POST /v1/merchant-config/logo`: multipart field `logo`, a JPG or PNG of at most 1 MB whose declared type matches.
    ///
    /// The file is kept in `<data>/sepay-logos/` (in memory without a data folder) and served at `logo_url` by the sandbox.
    func uploadLogo(merchant: String, contentType: String?, body: [UInt8], baseURL: String, now: Date) -> SePayAnswer {
        guard SePayText.mediaType(contentType) == "multipart/form-data", let boundary = SePayMultipart.boundary(contentType) else {
            return .badRequest(["logo": "Send the logo as multipart/form-data with a field named logo."])
        }
        guard let part = SePayMultipart.parts(body, boundary: boundary).first(where: { $0.name == "logo" }) else {
            return .badRequest(["logo": "The logo field is required."])
        }
        if part.content.count > Self.maximumLogoBytes {
            return SePayAnswer(status: 413, body: [
                "code": 413, "message": "Payload too large", "errors": ["logo": "The logo may not be greater than 1024 kilobytes."],
            ])
        }
        let fileExtension = (part.filename ?? "").split(separator: ".").last.map { $0.lowercased() } ?? ""
        let declared = SePayText.mediaType(part.contentType) ?? ""
        let expected = ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"][fileExtension]
        guard let expected else {
            return .badRequest(["logo": "The logo must be a file of type: jpg, jpeg, png."])
        }
        let magicMatches = expected == "image/png" ? part.content.starts(with: [0x89, 0x50, 0x4E, 0x47]) : part.content.starts(with: [0xFF, 0xD8, 0xFF])
        guard declared == expected, magicMatches else {
            return .badRequest(["logo": "The logo's content type must match its extension (\(expected))."])
        }
        var config = merchantConfig(for: merchant)
        let name = "\(Self.fileSafe(merchant))-\(Int(now.timeIntervalSince1970)).png"
        do {
            if let folder = logoFolder {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(part.content).write(to: folder.appendingPathComponent(name), options: .atomic)
            } else {
                memoryLogos[name] = part.content
            }
            let previous = config.logoFile
            config.logoFile = name
            config.logoURL = "\(baseURL)/logos/\(name)"
            try commit { world in Self.store(config, in: &world) }
            if let previous, previous != name {
                memoryLogos[previous] = nil
                if let folder = logoFolder { try? FileManager.default.removeItem(at: folder.appendingPathComponent(previous)) }
            }
        } catch {
            return .unavailable(error)
        }
        return .ok(["data": ["logo_url": .optional(config.logoURL)]])
    }

    /// The bytes of a stored logo, by file name.
    func logo(named name: String) -> [UInt8]? {
        guard name == Self.fileSafe(name), snapshot.merchantConfigs.contains(where: { $0.logoFile == name }) else { return nil }
        if let bytes = memoryLogos[name] { return bytes }
        guard let folder = logoFolder else { return nil }
        return (try? Data(contentsOf: folder.appendingPathComponent(name))).map(Array.init)
    }

    var logoFolder: URL? {
        file?.deletingLastPathComponent().appendingPathComponent("sepay-logos", isDirectory: true)
    }

    static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" })
    }

    // MARK: Event webhook

    /// The webhook endpoints' envelope `{status, error, messages {success, error}, data}`.
    static func webhookEnvelope(status: Int, success: [String] = [], errors: [String] = [], data: SePayJSON) -> SePayAnswer {
        SePayAnswer(status: status, body: [
            "status": .int(status), "error": errors.isEmpty ? nil : .string(errors.joined(separator: " ")),
            "messages": ["success": .array(success.map(SePayJSON.string)), "error": .array(errors.map(SePayJSON.string))],
            "data": data,
        ])
    }

    func webhookAnswer(merchant: String) -> SePayAnswer {
        Self.webhookEnvelope(status: 200, data: webhook(for: merchant).map { Self.rendered($0, revealSecret: false) } ?? .null)
    }

    /// `POST /v1/webhook`: creates the merchant's webhook, or changes the fields sent.
    func upsertWebhook(merchant: String, body: [String: SePayJSON]) -> SePayAnswer {
        let existing = webhook(for: merchant)
        var problems: [String] = []
        var url = existing?.url
        switch body["webhook_url"] {
        case nil, .null?:
            if existing == nil { problems.append("The webhook_url field is required.") }
        case .string(let text)?:
            if let problem = Self.webhookURLProblem(text) { problems.append(problem) } else { url = text }
        default:
            problems.append("The webhook_url must be a string.")
        }
        var authType = existing?.authType ?? "SECRET_KEY"
        switch body["auth_type"] {
        case nil, .null?: break
        case .string("SECRET_KEY")?: authType = "SECRET_KEY"
        default: problems.append("The auth_type must be SECRET_KEY.")
        }
        var secret = existing?.secretKey
        switch body["secret_key"] {
        case nil, .null?: break
        case .string(let text)? where !text.isEmpty && text.count <= 255 && text.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\0" }):
            secret = text
        default: problems.append("The secret_key must be a string of 1 to 255 printable ASCII characters.")
        }
        var active = existing?.active ?? 1
        switch body["active"] {
        case nil: break
        case .int(let value)? where value == 0 || value == 1: active = value
        case .string(let value)? where value == "0" || value == "1": active = Int(value)!
        default: problems.append("The active field must be 0 or 1.")
        }
        let events = Self.allowEvents(body["allow_events"], current: existing?.allowEvents ?? ["*"], problems: &problems)
        guard problems.isEmpty, let url else { return Self.webhookEnvelope(status: 400, errors: problems, data: nil) }
        let webhook = Webhook(
            merchant: merchant, url: url, authType: authType, secretKey: secret ?? SePayText.randomHex(bytes: 16), active: active,
            allowEvents: events)
        do {
            try commit { world in
                if let index = world.webhooks.firstIndex(where: { $0.merchant == merchant }) {
                    world.webhooks[index] = webhook
                } else {
                    world.webhooks.append(webhook)
                }
            }
        } catch {
            return Self.webhookEnvelope(status: 503, errors: ["Service unavailable: \(error)"], data: nil)
        }
        return Self.webhookEnvelope(status: 200, success: [Self.webhookSavedMessage], data: Self.rendered(webhook, revealSecret: true))
    }

    /// The `allow_events` an upsert sets: `current` when not sent, none for `null`, else the names without repeats.
    static func allowEvents(_ value: SePayJSON?, current: [String], problems: inout [String]) -> [String] {
        switch value {
        case nil:
            return current
        case .null?:
            return []
        case .array(let items)?:
            let names = items.compactMap(\.string)
            if names.count != items.count {
                problems.append("The allow_events must be an array of event names.")
            } else if let unknown = names.first(where: { $0 != "*" && $0 != inactivatedAlias && !eventNames.contains($0) }) {
                problems.append("Unknown event \(unknown) in allow_events; use [\"*\"] or names among \(eventNames.joined(separator: ", ")).")
            } else {
                var seen: Set<String> = []
                return names.filter { seen.insert($0).inserted }
            }
            return current
        default:
            problems.append("The allow_events must be an array or null.")
            return current
        }
    }

    static func rendered(_ webhook: Webhook, revealSecret: Bool) -> SePayJSON {
        [
            "webhook_url": .string(webhook.url), "auth_type": .string(webhook.authType),
            "secret_key": .string(revealSecret ? webhook.secretKey : mask(webhook.secretKey)),
            "request_content_type": "application/json", "active": .int(webhook.active),
            "allow_events": .array(webhook.allowEvents.map(SePayJSON.string)),
        ]
    }

    /// `***` and the last four characters (only `***` for a secret of four characters or fewer).
    static func mask(_ secret: String) -> String {
        secret.count > 4 ? "***" + secret.suffix(4) : "***"
    }

    /// Whether a configured webhook wants an event.
    static func allows(_ webhook: Webhook, event: String) -> Bool {
        guard webhook.active == 1 else { return false }
        return webhook.allowEvents.contains("*") || webhook.allowEvents.contains(event)
            || (event == "BANK_ACCOUNT_INACTIVATED" && webhook.allowEvents.contains(inactivatedAlias))
    }

    /// Why a webhook URL is refused, or nil when it is accepted.
    ///
    /// HTTPS to a public host; loopback (`127.0.0.0/8`, `localhost`, `::1`) is allowed over http or https in the
    /// sandbox; private, link-local and other internal addresses are refused.
    static func webhookURLProblem(_ text: String) -> String? {
        guard text.count <= 2048, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), var host = components.host?.lowercased(), !host.isEmpty
        else {
            return "The webhook_url must be a valid http(s) URL."
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if isLoopback(host) { return nil }
        guard scheme == "https" else {
            return "The webhook_url must use HTTPS (the sandbox also accepts http://127.0.0.1 and http://localhost)."
        }
        if isInternal(host) {
            return "The webhook_url must not point at an internal or private address."
        }
        return nil
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let octets = ipv4(host)
        return octets?.first == 127
    }

    static func isInternal(_ host: String) -> Bool {
        if let octets = ipv4(host) {
            let (a, b) = (octets[0], octets[1])
            return a == 0 || a == 10 || a == 127 || (a == 100 && (64...127).contains(b)) || (a == 169 && b == 254)
                || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) || (a == 192 && b == 0 && octets[2] == 0)
                || (a == 198 && (18...19).contains(b)) || a >= 224
        }
        if host.contains(":") {
            let lower = host.lowercased()
            if lower == "::" || lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower.hasPrefix("fe8") || lower.hasPrefix("fe9")
                || lower.hasPrefix("fea") || lower.hasPrefix("feb")
            {
                return true
            }
            if lower.hasPrefix("::ffff:"), let mapped = ipv4(String(lower.dropFirst(7))) { return isInternal(mapped.map(String.init).joined(separator: ".")) }
            return false
        }
        if !host.contains(".") { return true }
        return [".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp"].contains { host.hasSuffix($0) }
    }

    /// The four octets of a dotted-quad IPv4 address.
    static func ipv4(_ host: String) -> [Int]? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let octets = parts.compactMap { part -> Int? in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isNumber), let value = Int(part), value <= 255 else { return nil }
            return value
        }
        return octets.count == 4 ? octets : nil
    }
}

/// Just enough `multipart/form-data` parsing for the logo upload.
enum SePayMultipart {
    struct Part {
        var name: String?
        var filename: String?
        var contentType: String?
        var content: [UInt8]
    }

    static func boundary(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    static func parts(_ body: [UInt8], boundary: String) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        var result: [Part] = []
        var sections = body.split(separator: delimiter, omittingEmptySubsequences: false).dropFirst()
        if sections.last?.starts(with: Array("--".utf8)) == true { sections = sections.dropLast() }
        for section in sections {
            var bytes = Array(section)
            if bytes.starts(with: [13, 10]) { bytes.removeFirst(2) }
            if bytes.suffix(2) == [13, 10] { bytes.removeLast(2) }
            guard let split = bytes.firstRange(of: headerEnd) else { continue }
            let headerText = String(decoding: bytes[..<split.lowerBound], as: UTF8.self)
            var part = Part(content: Array(bytes[split.upperBound...]))
            for line in headerText.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "content-type": part.contentType = pair[1]
                case "content-disposition":
                    for parameter in pair[1].split(separator: ";").dropFirst() {
                        let item = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                        guard item.count == 2 else { continue }
                        let value = item[1].hasPrefix("\"") && item[1].hasSuffix("\"") && item[1].count >= 2 ? String(item[1].dropFirst().dropLast()) : item[1]
                        if item[0].lowercased() == "name" { part.name = value }
                        if item[0].lowercased() == "filename" { part.filename = value }
                    }
                default: break
                }
            }
            result.append(part)
        }
        return result
    }
}
