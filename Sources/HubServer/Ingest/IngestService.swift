import Foundation
import HubModel
import HubStore
import Ingest
import Logging
import NIOCore
import Normalization

/// Takes a department's batch from bytes to per-record results, one way for every record:
///
/// 1. decode — the wire form (`RecordBodyDecoder`) to a document, `RecordReader` to records checked against the
///    schema and rules (and `AgencyRule`);
/// 2. read — `IngestStore.resolutionContext` gathers what needs no lock (catalog facts, decided mappings,
///    legal-basis matches);
/// 3. plan — `IngestPlanner.plan` (pure) decides accepted / held / duplicate / rejected and what to write,
///    given also the stored versions the store reads under the ledger lock;
/// 4. apply — `IngestStore.write` runs 3 inside one transaction and applies the plan with `RecordWriter`;
/// 5. answer — one `RecordResult` per record, in order.
public struct IngestService: Sendable {
    public let store: IngestStore
    /// Where the signing department's agencies are read (the `AgencyRule` step of decoding).
    let departments: DepartmentStore
    public let reader: RecordReader
    public let decoders: [any RecordBodyDecoder]
    let metrics: HubMetrics
    public let profiles: [String: DepartmentProfile]
    /// Longest a batch's write may take before the request is answered 503 (normally well under a second).
    public var writeDeadline: Duration = .seconds(30)
    /// Group commit of small batches (`HUB_GROUP_COMMIT_*`); nil: every batch in its own transaction.
    public var groupCommit: GroupCommit?
    /// Batches with at most this many records to write go through `groupCommit`; a larger batch already shares
    /// one commit among its records and is written alone, without waiting for a window.
    public static let groupCommitMaxRecords = 50

    public init(
        store: IngestStore,
        departments: DepartmentStore,
        reader: RecordReader,
        metrics: HubMetrics,
        profiles: [String: DepartmentProfile] = [:],
        decoders: [any RecordBodyDecoder] = [JSONBodyDecoder(), XMLBodyDecoder()]
    ) {
        self.store = store
        self.departments = departments
        self.profiles = profiles
        self.reader = reader
        self.metrics = metrics
        self.decoders = decoders
    }

    /// The decoder for a `Content-Type` value, and its charset parameter.
    func decoder(for contentType: String?) throws(BatchError) -> (any RecordBodyDecoder, String?) {
        let parts = (contentType ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let media = parts.first?.lowercased() ?? ""
        let charset = parts.dropFirst().first { $0.lowercased().hasPrefix("charset=") }.map {
            String($0.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        guard let decoder = decoders.first(where: { $0.mediaTypes.contains(media) }) else {
            let supported = decoders.flatMap(\.mediaTypes).joined(separator: ", ")
            throw BatchError([
                FieldError(
                    path: "",
                    code: "unsupported_media_type",
                    zh: "不支持的 Content-Type，可用：\(supported)",
                    en: "unsupported Content-Type; use one of: \(supported)"
                )
            ])
        }
        return (decoder, charset)
    }

    /// Reads and writes one batch. Throws `BatchError` for problems with the request as a whole.
    ///
    /// `origin`: where the batch came from; with it the batch is logged (报送日志) — in the batch's transaction
    /// when records were answered, on its own when the batch is refused as a whole. Without it (tools) nothing is logged.
    public func ingest(
        body: ByteBuffer,
        contentType: String?,
        department: Department,
        origin: MessageOrigin? = nil
    ) async throws -> (batchId: String?, results: [RecordResult]) {
        let profile = profiles[department.code]
        var entry = origin.map { MessageLogEntry(origin: $0, kind: .records, department: department.code, batchId: nil) }
        let (reading, sentBatchId) = read(body, contentType: contentType, profile: profile)
        let batch: RecordReader.Batch
        let wireErrors: [Int: [FieldError]]
        switch reading {
        case .success(let read): (batch, wireErrors) = read
        case .failure(let refusal):
            if var entry {
                entry.batchId = sentBatchId
                await logRefusal(entry, refusal.errors)
            }
            throw refusal
        }
        entry?.batchId = batch.batchId
        let agencies = Set(try await departments.agencies(department: department).map(\.code))
        var results: [RecordResult?] = Array(repeating: nil, count: batch.records.count)
        var candidates: [IngestCandidate] = []
        for (index, outcome) in batch.records.enumerated() {
            switch outcome {
            case .valid(let record) where wireErrors[index] != nil:
                results[index] = RecordResult(index: index, localId: record.localId, status: .rejected, errors: wireErrors[index]!)
            case .valid(let record):
                let foreign = AgencyRule.check(record, path: "records[\(index)]", agencies: agencies, department: department.code)
                if foreign.isEmpty {
                    candidates.append(.init(index: index, record: record))
                } else {
                    results[index] = RecordResult(index: index, localId: record.localId, status: .rejected, errors: foreign)
                }
            case .invalid(let localId, let errors): results[index] = RecordResult(index: index, localId: localId, status: .rejected, errors: errors)
            }
            if case .valid(let record) = outcome, let code = record.item.implementationCode ?? record.item.localCode {
                entry?.itemCodes[index] = code
            }
        }
        let log = entry.map { MessageLogWrite(entry: $0, refused: results.compactMap { $0 }) }
        // Bounded: a database that went away mid-batch must not leave the department waiting forever (the batch is
        // one transaction, so it is either written or not; a resend is answered record by record).
        let store = self.store
        let batchId = batch.batchId
        let toWrite = candidates
        let refused = results.count { $0 != nil }
        let gather = toWrite.isEmpty || toWrite.count > Self.groupCommitMaxRecords ? nil : groupCommit
        let written = try await Deadline.run(writeDeadline, operation: "batch write") {
            let context =
                toWrite.isEmpty
                ? ResolutionContext()
                : try await store.resolutionContext(for: toWrite.map(\.record), department: department, profile: profile)
            let request = IngestWrite(
                candidates: toWrite,
                context: context,
                department: department,
                profile: profile,
                rejectedBefore: refused,
                log: log
            ) { readings in
                IngestPlanner.plan(toWrite, department: department.code, batchId: batchId, readings: readings)
            }
            if let gather { return try await gather.write(request) }
            return try await store.write(request)
        }
        for written in written {
            results[written.index] = written
        }
        let final = results.map { $0! }
        for status in [RecordResult.Status.accepted, .held, .duplicate, .rejected] {
            metrics.records(status.rawValue, department: department.code, count: final.count { $0.status == status })
        }
        return (batch.batchId, final)
    }

    /// Decodes and reads a batch: the records with the wire form's own errors by index, or the refusal of the
    /// batch as a whole — with the batch id when the body parsed far enough to carry one (for the message log).
    func read(
        _ body: ByteBuffer,
        contentType: String?,
        profile: DepartmentProfile?
    ) -> (Result<(RecordReader.Batch, [Int: [FieldError]]), BatchError>, batchId: String?) {
        let decoded: (document: JSONValue, recordErrors: [Int: [FieldError]])
        do {
            let (decoder, charset) = try decoder(for: contentType)
            decoded = try decoder.decodeBatch(body, charset: charset)
        } catch {
            return (.failure(error), nil)
        }
        let batchId = decoded.document["batchId"]?.stringValue.map { String($0.prefix(50)) }
        do {
            return (.success((try reader.readBatch(decoded.document) { profile?.apply(to: $0) ?? $0 }, decoded.recordErrors)), batchId)
        } catch {
            return (.failure(error), batchId)
        }
    }

    /// Logs a batch refused as a whole. A failure to log is a warning, never the department's answer: the
    /// refusal itself must still reach the department.
    func logRefusal(_ entry: MessageLogEntry, _ errors: [FieldError]) async {
        do {
            try await MessageLogStore(db: store.db).insertRefusal(entry, errors: errors)
        } catch {
            store.db.logger.warning("message log write failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

extension RecordResult {
    /// The JSON form of a result in the push API's answer.
    var json: JSONValue {
        var m: [(String, JSONValue)] = [("index", .number(String(index))), ("status", .string(status.rawValue))]
        if let localId { m.append(("localId", .string(localId))) }
        if let version { m.append(("version", .number(String(version)))) }
        if let operation { m.append(("operation", .string(operation))) }
        if let ledgerSeq { m.append(("ledgerSeq", .number(String(ledgerSeq)))) }
        if let entryHash { m.append(("entryHash", .string(entryHash))) }
        if let catalogCode { m.append(("catalogCode", .string(catalogCode))) }
        if let implementationCode { m.append(("implementationCode", .string(implementationCode))) }
        if let rule { m.append(("rule", .string(rule))) }
        if let reviewId { m.append(("reviewId", .number(String(reviewId)))) }
        if let originalStatus { m.append(("originalStatus", .string(originalStatus.rawValue))) }
        if !errors.isEmpty { m.append(("errors", .array(errors.map(\.json)))) }
        return .object(m)
    }
}
