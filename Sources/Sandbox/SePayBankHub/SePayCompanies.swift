import Foundation

/// Companies: list, detail, create, partial edit, daily counters.
extension SePayWorld {
    static let companyStatuses = ["Active", "Pending"]
    static let createdCompanyMessage = "Đã tạo công ty (tổ chức) thành công."
    static let editedCompanyMessage = "Đã cập nhật thông tin công ty (tổ chức) thành công."

    func company(_ xid: String, merchant: String) -> Company? {
        guard SePayText.isUUID(xid) else { return nil }
        return snapshot.companies.first { $0.xid == xid.lowercased() && $0.merchant == merchant }
    }

    /// `GET /v1/company`: `page`, `per_page`, `q` (in `full_name`), `status`, `sort[created_at]`; newest first.
    func listCompanies(merchant: String, query: [String: String]) -> SePayAnswer {
        let paging: (page: Int, perPage: Int)
        switch Self.paging(query) {
        case .success(let value): paging = value
        case .failure(let error): return error.answer
        }
        var errors: [String: String] = [:]
        if let status = query["status"], !status.isEmpty, !Self.companyStatuses.contains(status) {
            errors["status"] = "The selected status is invalid; use Active or Pending."
        }
        let sort = query["sort[created_at]"] ?? "desc"
        if !["asc", "desc"].contains(sort.lowercased()) {
            errors["sort.created_at"] = "The sort[created_at] must be asc or desc."
        }
        guard errors.isEmpty else { return .badRequest(errors) }
        let search = (query["q"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var companies = snapshot.companies.filter { company in
            company.merchant == merchant
                && (search.isEmpty || company.fullName.lowercased().contains(search))
                && ((query["status"] ?? "").isEmpty || company.status == query["status"])
        }
        companies.sort { sort.lowercased() == "asc" ? $0.sequence < $1.sequence : $0.sequence > $1.sequence }
        let page = Self.pageOf(companies, page: paging.page, perPage: paging.perPage)
        return .ok(["data": .array(page.items.map(Self.listed)), "meta": page.meta])
    }

    func companyDetail(_ xid: String, merchant: String) -> SePayAnswer {
        guard let company = company(xid, merchant: merchant) else { return .notFound }
        return .ok(["data": Self.detailed(company)])
    }

    /// `POST /v1/company/create`: `full_name` (required, ≤ 200, unique per merchant) and `status` (required).
    func createCompany(merchant: String, body: [String: SePayJSON], now: Date) -> SePayAnswer {
        var errors: [String: String] = [:]
        let name = validateFullName(body["full_name"], required: true, merchant: merchant, except: nil, errors: &errors)
        var status: String?
        switch body["status"] {
        case nil, .null?: errors["status"] = "The status field is required."
        case .string(let value)? where Self.companyStatuses.contains(value): status = value
        default: errors["status"] = "The selected status is invalid; use Active or Pending."
        }
        guard errors.isEmpty, let name, let status else { return .badRequest(errors) }
        do {
            let company = try commit { world -> Company in
                world.sequence += 1
                let stamp = SePayText.timestamp(now)
                let company = Company(
                    xid: SePayText.newXID(), merchant: merchant, fullName: name, shortName: nil, status: status,
                    paymentCode: "off", paymentCodePrefix: nil, paymentCodeSuffixFrom: nil, paymentCodeSuffixTo: nil,
                    paymentCodeSuffixCharacterType: nil, dataStorageTime: nil, transactionAmount: nil,
                    createdAt: stamp, updatedAt: stamp, sequence: world.sequence)
                world.companies.append(company)
                return company
            }
            return SePayAnswer(status: 201, body: [
                "code": 201, "message": .string(Self.createdCompanyMessage),
                "data": ["xid": .string(company.xid), "full_name": .string(company.fullName)],
            ])
        } catch {
            return .unavailable(error)
        }
    }

    /// `POST /v1/company/edit/{xid}`: partial; only the fields sent change.
    func editCompany(_ xid: String, merchant: String, body: [String: SePayJSON], now: Date) -> SePayAnswer {
        guard var company = company(xid, merchant: merchant) else { return .notFound }
        var errors: [String: String] = [:]
        editNames(body, of: &company, merchant: merchant, errors: &errors)
        Self.editPaymentCode(body, of: &company, errors: &errors)
        switch body["transaction_amount"] {
        case nil: break
        case .null?: company.transactionAmount = nil
        case .int(let value)? where value >= 0: company.transactionAmount = String(value)
        case .string("Unlimited")?: company.transactionAmount = "Unlimited"
        default: errors["transaction_amount"] = "The transaction amount must be a non-negative integer, \"Unlimited\" or null."
        }
        guard errors.isEmpty else { return .badRequest(errors) }
        company.updatedAt = SePayText.timestamp(now)
        do {
            try commit { world in
                if let index = world.companies.firstIndex(where: { $0.xid == company.xid }) { world.companies[index] = company }
            }
        } catch {
            return .unavailable(error)
        }
        return .ok(["code": 200, "message": .string(Self.editedCompanyMessage)])
    }

    /// The edit of `full_name`, `short_name` and `status`, as far as the body sends them.
    func editNames(_ body: [String: SePayJSON], of company: inout Company, merchant: String, errors: inout [String: String]) {
        if body["full_name"] != nil,
            let name = validateFullName(body["full_name"], required: true, merchant: merchant, except: company.xid, errors: &errors)
        {
            company.fullName = name
        }
        switch body["short_name"] {
        case nil: break
        case .null?: company.shortName = nil
        case .string(let value)? where value.count <= 200: company.shortName = value.trimmingCharacters(in: .whitespacesAndNewlines)
        case .string?: errors["short_name"] = "The short name may not be greater than 200 characters."
        default: errors["short_name"] = "The short name must be a string."
        }
        switch body["status"] {
        case nil: break
        case .string(let value)? where Self.companyStatuses.contains(value): company.status = value
        default: errors["status"] = "The selected status is invalid; use Active or Pending."
        }
    }

    /// The edit of the payment code configuration (`payment_code`, its prefix, suffix lengths and characters).
    static func editPaymentCode(_ body: [String: SePayJSON], of company: inout Company, errors: inout [String: String]) {
        switch body["payment_code"] {
        case nil: break
        case .string(let value)? where ["on", "off"].contains(value): company.paymentCode = value
        default: errors["payment_code"] = "The payment code must be on or off."
        }
        switch body["payment_code_prefix"] {
        case nil: break
        case .null?: company.paymentCodePrefix = nil
        case .string(let value)? where value.wholeMatch(of: /[A-Za-z]{2,5}/) != nil: company.paymentCodePrefix = value.uppercased()
        default: errors["payment_code_prefix"] = "The payment code prefix must be 2 to 5 letters."
        }
        for (field, keyPath) in [
            ("payment_code_suffix_from", \Company.paymentCodeSuffixFrom), ("payment_code_suffix_to", \Company.paymentCodeSuffixTo),
        ] {
            switch body[field] {
            case nil: break
            case .null?: company[keyPath: keyPath] = nil
            case .int(let value)? where (1...30).contains(value): company[keyPath: keyPath] = value
            default: errors[field] = "The \(field.replacingOccurrences(of: "_", with: " ")) must be an integer between 1 and 30."
            }
        }
        if errors["payment_code_suffix_from"] == nil, errors["payment_code_suffix_to"] == nil,
            let from = company.paymentCodeSuffixFrom, let to = company.paymentCodeSuffixTo, to < from
        {
            errors["payment_code_suffix_to"] = "The payment code suffix to must be at least payment_code_suffix_from (\(from))."
        }
        switch body["payment_code_suffix_character_type"] {
        case nil: break
        case .null?: company.paymentCodeSuffixCharacterType = nil
        case .string(let value)? where ["NumberOnly", "NumberAndLetter"].contains(value): company.paymentCodeSuffixCharacterType = value
        default: errors["payment_code_suffix_character_type"] = "The payment code suffix character type must be NumberOnly or NumberAndLetter."
        }
    }

    /// `GET /v1/company/counter/{xid}`: transactions per day, optionally one `date`.
    func companyCounter(_ xid: String, merchant: String, query: [String: String]) -> SePayAnswer {
        guard let company = company(xid, merchant: merchant) else { return .notFound }
        if let date = query["date"], !date.isEmpty, !SePayText.isDate(date) {
            return .badRequest(["date": "The date must be a date in the format YYYY-MM-DD."])
        }
        let wanted = (query["date"] ?? "").isEmpty ? nil : query["date"]
        var days: [String: (all: Int, incoming: Int, outgoing: Int)] = [:]
        for transaction in snapshot.transactions where transaction.companyXid == company.xid {
            let day = String(transaction.transactionDate.prefix(10))
            if let wanted, wanted != day { continue }
            var counts = days[day] ?? (0, 0, 0)
            counts.all += 1
            if transaction.transferType == "in" { counts.incoming += 1 } else { counts.outgoing += 1 }
            days[day] = counts
        }
        let dates = days.keys.sorted().map { day -> SePayJSON in
            let counts = days[day]!
            return ["date": .string(day), "transaction": .int(counts.all), "transaction_in": .int(counts.incoming), "transaction_out": .int(counts.outgoing)]
        }
        let total = days.values.reduce((0, 0, 0)) { ($0.0 + $1.all, $0.1 + $1.incoming, $0.2 + $1.outgoing) }
        return .ok(["data": [
            "dates": .array(dates),
            "total": ["transaction": .int(total.0), "transaction_in": .int(total.1), "transaction_out": .int(total.2)],
        ]])
    }

    /// A trimmed, non-blank name of at most 200 characters, unique (case-insensitively) among the merchant's other companies.
    func validateFullName(
        _ value: SePayJSON?, required: Bool, merchant: String, except: String?, errors: inout [String: String]
    ) -> String? {
        switch value {
        case .string(let text)?:
            let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty {
                errors["full_name"] = "The full name field is required."
            } else if name.count > 200 {
                errors["full_name"] = "The full name may not be greater than 200 characters."
            } else if snapshot.companies.contains(where: {
                $0.merchant == merchant && $0.xid != except && $0.fullName.lowercased() == name.lowercased()
            }) {
                errors["full_name"] = "The full name has already been taken."
            } else {
                return name
            }
        case nil, .null?:
            if required { errors["full_name"] = "The full name field is required." }
        default:
            errors["full_name"] = "The full name must be a string."
        }
        return nil
    }

    static func listed(_ company: Company) -> SePayJSON {
        [
            "xid": .string(company.xid), "full_name": .string(company.fullName), "status": .string(company.status),
            "active": company.status == "Active" ? "1" : "0",
            "created_at": .string(company.createdAt), "updated_at": .string(company.updatedAt),
        ]
    }

    static func detailed(_ company: Company) -> SePayJSON {
        guard case .object(var fields) = listed(company) else { return listed(company) }
        fields["configuration"] = [
            "payment_code": .string(company.paymentCode),
            "payment_code_prefix": .optional(company.paymentCodePrefix),
            "payment_code_suffix_from": .optional(company.paymentCodeSuffixFrom),
            "payment_code_suffix_to": .optional(company.paymentCodeSuffixTo),
            "payment_code_suffix_character_type": .optional(company.paymentCodeSuffixCharacterType),
            "data_storage_time": .optional(company.dataStorageTime),
            "transaction_amount": .optional(company.transactionAmount),
        ]
        return .object(fields)
    }
}
