// libFuzzer target for the front door's decoders: the strict JSON parser with the record reader, and the
// safe XML parser with the record XML mapping. Any input must give a value or a thrown error — a trap,
// a hang or a sanitizer report is a finding. Build and run with scripts/fuzz.sh (see docs/FUZZING.md).
import Foundation
import HubModel
import HubXML

let dictionaries = NationalDictionaries(entries: [
    "party_nature": ["1": "", "2": "", "3": ""], "id_type": ["001": "", "111": "", "112": ""], "subject_type": ["01": ""],
    "inspection_form": ["01": "", "02": ""], "inspection_category": ["01": ""], "inspection_mode": ["01": ""],
    "inspection_result": ["01": "", "02": ""], "penalty_procedure": ["01": "", "02": ""], "penalty_kind": ["01": "", "02": ""],
    "case_source": ["01": ""],
])
let reader = RecordReader(dictionaries: dictionaries)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let document = try? JSONParser().parse(bytes) {
        if let batch = try? reader.readBatch(document) {
            for case .valid(let record) in batch.records { _ = record.canonicalBytes.count }
        }
        _ = CanonicalJSON.encode(document)
    }
    if let root = try? SafeXMLParser().parse(bytes), let document = try? RecordXML.batch(root) {
        _ = try? reader.readBatch(document)
        _ = try? XMLWriter.element("response", document)
    }
    return 0
}
