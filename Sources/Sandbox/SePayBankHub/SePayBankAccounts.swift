import Foundation

/// Linked bank accounts (read-only through the API) and sandbox transactions.
extension SePayWorld {
    func bankAccount(_ xid: String, merchant: String) -> BankAccount? {
        guard SePayText.isUUID(xid) else { return nil }
        return snapshot.bankAccounts.first { $0.xid == xid.lowercased() && $0.merchant == merchant }
    }

    /// `GET /v1/bank-account`: `page`, `per_page` (alias `limit`), `company_xid`, `bank_id` (brand), `q`; newest first.
    func listBankAccounts(merchant: String, query: [String: String]) -> SePayAnswer {
        let paging: (page: Int, perPage: Int)
        switch Self.paging(query, perPageNames: ["per_page", "limit"]) {
        case .success(let value): paging = value
        case .failure(let error): return error.answer
        }
        let company = (query["company_xid"] ?? "").lowercased()
        let bank = (query["bank_id"] ?? "").lowercased()
        let search = (query["q"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let accounts = snapshot.bankAccounts.filter { account in
            account.merchant == merchant
                && (company.isEmpty || account.companyXid == company)
                && (bank.isEmpty || account.brandName.lowercased() == bank)
                && (search.isEmpty || [account.accountNumber, account.accountHolderName, account.brandName].contains { $0.lowercased().contains(search) })
        }.sorted { $0.sequence > $1.sequence }
        let page = Self.pageOf(accounts, page: paging.page, perPage: paging.perPage)
        return .ok(["data": .array(page.items.map(Self.listed)), "meta": page.meta])
    }

    func bankAccountDetail(_ xid: String, merchant: String) -> SePayAnswer {
        guard let account = bankAccount(xid, merchant: merchant) else { return .notFound }
        guard case .object(var fields) = Self.listed(account) else { return .notFound }
        fields["account_type"] = nil
        fields["identification_number"] = .optional(account.identificationNumber)
        fields["phone_number"] = .optional(account.phoneNumber)
        fields["va_list"] = []
        return .ok(["data": .object(fields)])
    }

    static func listed(_ account: BankAccount) -> SePayJSON {
        [
            "xid": .string(account.xid), "company_xid": .string(account.companyXid), "brand_name": .string(account.brandName),
            "account_holder_name": .string(account.accountHolderName), "account_number": .string(account.accountNumber),
            "accumulated": "0", "account_type": .string(account.accountType), "bank_api_connected": "1", "active": "1",
            "last_transaction": .optional(account.lastTransaction),
            "created_at": .string(account.createdAt), "updated_at": .string(account.updatedAt),
        ]
    }

    // MARK: Transactions

    /// `POST /v1/transaction/create` (sandbox only): records a transaction on a linked account. No IPN is sent.
    func createTransaction(merchant: String, body: [String: SePayJSON], now: Date) -> SePayAnswer {
        var errors: [String: String] = [:]
        guard let fields = transactionFields(body, merchant: merchant, errors: &errors) else { return .badRequest(errors) }
        let (account, transferType, amount, content) = (fields.account, fields.transferType, fields.amount, fields.content)
        let company = snapshot.companies.first { $0.xid == account.companyXid }
        let date = SePayText.timestamp(now)
        do {
            let transaction = try commit { world -> Transaction in
                world.sequence += 1
                let transaction = Transaction(
                    transactionID: SePayText.newXID(), merchant: merchant, bankAccountXid: account.xid, companyXid: account.companyXid,
                    brandName: account.brandName, accountNumber: account.accountNumber,
                    referenceNumber: "FT" + String(format: "%05d", world.sequence % 100_000) + String((0..<9).map { _ in "0123456789".randomElement()! }),
                    transferType: transferType == "credit" ? "in" : "out", amount: amount, content: content,
                    paymentCode: company.flatMap { Self.paymentCode(in: content, company: $0) },
                    transactionDate: date, sequence: world.sequence)
                world.transactions.append(transaction)
                if let index = world.bankAccounts.firstIndex(where: { $0.xid == account.xid }) {
                    world.bankAccounts[index].lastTransaction = date
                }
                return transaction
            }
            return SePayAnswer(status: 201, body: [
                "code": 201, "message": "Tạo giao dịch giả lập thành công.",
                "data": [
                    "transaction_id": .string(transaction.transactionID), "reference_number": .string(transaction.referenceNumber),
                    "transaction_date": .string(transaction.transactionDate), "amount": .int(amount),
                    "transfer_type": .string(transferType), "accumulated": 0,
                ],
            ])
        } catch {
            return .unavailable(error)
        }
    }

    /// What a sandbox transaction records.
    struct TransactionFields {
        var account: BankAccount
        /// `credit` or `debit`, as sent.
        var transferType: String
        var amount: Int
        var content: String
    }

    /// The fields of `POST /v1/transaction/create`; nil with every problem in `errors` when any is missing or wrong.
    func transactionFields(_ body: [String: SePayJSON], merchant: String, errors: inout [String: String]) -> TransactionFields? {
        var account: BankAccount?
        switch body["bank_account_xid"] {
        case nil, .null?: errors["bank_account_xid"] = "The bank account xid field is required."
        case .string(let xid)?:
            account = bankAccount(xid, merchant: merchant)
            if account == nil { errors["bank_account_xid"] = "The selected bank account xid is invalid." }
        default: errors["bank_account_xid"] = "The bank account xid must be a string."
        }
        var transferType: String?
        switch body["transfer_type"] {
        case nil, .null?: errors["transfer_type"] = "The transfer type field is required."
        case .string(let value)? where ["credit", "debit"].contains(value): transferType = value
        default: errors["transfer_type"] = "The transfer type must be credit or debit."
        }
        var amount: Int?
        switch body["amount"] {
        case nil, .null?: errors["amount"] = "The amount field is required."
        case .int(let value)? where value >= 1: amount = value
        case .double(let value)? where value >= 1 && value == value.rounded() && value < 1e15: amount = Int(value)
        default: errors["amount"] = "The amount must be a whole number of VND, at least 1."
        }
        var content: String?
        switch body["transaction_content"] {
        case .string(let value)? where !value.trimmingCharacters(in: .whitespaces).isEmpty && value.count <= 500: content = value
        case .string(let value)? where value.count > 500: errors["transaction_content"] = "The transaction content may not be greater than 500 characters."
        case .string?, nil, .null?: errors["transaction_content"] = "The transaction content field is required."
        default: errors["transaction_content"] = "The transaction content must be a string."
        }
        guard errors.isEmpty, let account, let transferType, let amount, let content else { return nil }
        return TransactionFields(account: account, transferType: transferType, amount: amount, content: content)
    }

    /// `GET /v1/transaction` with its own `meta {page, per_page, total, total_pages}`; newest first.
    func listTransactions(merchant: String, query: [String: String]) -> SePayAnswer {
        let paging: (page: Int, perPage: Int)
        switch Self.paging(query) {
        case .success(let value): paging = value
        case .failure(let error): return error.answer
        }
        var errors: [String: String] = [:]
        for field in ["transaction_date", "start_transaction_date", "end_transaction_date"] {
            if let value = query[field], !value.isEmpty, !SePayText.isDate(value) {
                errors[field] = "The \(field.replacingOccurrences(of: "_", with: " ")) must be a date in the format YYYY-MM-DD."
            }
        }
        if let value = query["transfer_type"], !value.isEmpty, !["in", "out"].contains(value) {
            errors["transfer_type"] = "The transfer type must be in or out."
        }
        if let value = query["webhook_success"], !value.isEmpty, !["0", "1"].contains(value) {
            errors["webhook_success"] = "The webhook success must be 0 or 1."
        }
        guard errors.isEmpty else { return .badRequest(errors) }
        func given(_ name: String) -> String? {
            guard let value = query[name], !value.isEmpty else { return nil }
            return value
        }
        let search = (given("q") ?? "").lowercased()
        let items = snapshot.transactions.filter { transaction in
            let day = String(transaction.transactionDate.prefix(10))
            return transaction.merchant == merchant
                && given("company_xid").map { $0.lowercased() == transaction.companyXid } ?? true
                && given("bank_account_xid").map { $0.lowercased() == transaction.bankAccountXid } ?? true
                && given("brand_name").map { $0.lowercased() == transaction.brandName.lowercased() } ?? true
                && given("transaction_date").map { $0 == day } ?? true
                && given("start_transaction_date").map { $0 <= day } ?? true
                && given("end_transaction_date").map { day <= $0 } ?? true
                && given("transfer_type").map { $0 == transaction.transferType } ?? true
                && given("webhook_success").map { $0 == "0" } ?? true
                && (search.isEmpty || [transaction.content, transaction.paymentCode ?? "", transaction.accountNumber].contains { $0.lowercased().contains(search) })
        }.sorted { $0.sequence > $1.sequence }
        let page = Self.pageOf(items, page: paging.page, perPage: paging.perPage)
        let total = items.count
        return .ok([
            "data": .array(page.items.map(Self.listed)),
            "meta": [
                "page": .int(paging.page), "per_page": .int(paging.perPage), "total": .int(total),
                "total_pages": .int((total + paging.perPage - 1) / paging.perPage),
            ],
        ])
    }

    func transactionDetail(_ id: String, merchant: String) -> SePayAnswer {
        guard let transaction = snapshot.transactions.first(where: { $0.transactionID == id.lowercased() && $0.merchant == merchant }) else {
            return .notFound
        }
        return .ok(["data": Self.listed(transaction)])
    }

    static func listed(_ transaction: Transaction) -> SePayJSON {
        [
            "transaction_id": .string(transaction.transactionID), "transaction_date": .string(transaction.transactionDate),
            "bank_account_xid": .string(transaction.bankAccountXid), "company_xid": .string(transaction.companyXid),
            "brand_name": .string(transaction.brandName), "account_number": .string(transaction.accountNumber),
            "va": nil, "va_xid": nil, "reference_number": .string(transaction.referenceNumber),
            "transfer_type": .string(transaction.transferType), "amount": .int(transaction.amount),
            "transaction_content": .string(transaction.content), "payment_code": .optional(transaction.paymentCode),
            "webhook_success": 0,
        ]
    }

    /// The company's payment code found in `content`; nil when payment codes are off.
    ///
    /// A code is the prefix (any case) followed by a run of suffix characters whose length is within
    /// `suffix_from...suffix_to` (1...30 when unset).
    static func paymentCode(in content: String, company: Company) -> String? {
        guard company.paymentCode == "on", let prefix = company.paymentCodePrefix, !prefix.isEmpty else { return nil }
        let allowed: (Character) -> Bool = company.paymentCodeSuffixCharacterType == "NumberAndLetter"
            ? { $0.isASCII && ($0.isLetter || $0.isNumber) } : { $0.isASCII && $0.isNumber }
        let range = (company.paymentCodeSuffixFrom ?? 1)...max(company.paymentCodeSuffixFrom ?? 1, company.paymentCodeSuffixTo ?? 30)
        let text = Array(content.uppercased())
        let head = Array(prefix.uppercased())
        var index = 0
        while index + head.count <= text.count {
            if Array(text[index..<index + head.count]) == head, index == 0 || !(text[index - 1].isLetter || text[index - 1].isNumber) {
                var end = index + head.count
                while end < text.count, allowed(text[end]) { end += 1 }
                let length = end - index - head.count
                if range.contains(length) { return String(text[index..<end]) }
            }
            index += 1
        }
        return nil
    }
}
