import HubModel
import Ingest
import Normalization

extension ReviewStore {
    /// A decision may point at an item set by local legislation while the province has not coded it: the item must
    /// be approved and sent (not merely proposed), not coded yet (then its provincial code is the target), of the
    /// records' item type, and registered by the review's own department. No implementation code goes with it — the
    /// implementation items come with the provincial code. Records of the local item stay held until then.
    func validateProvisionalTarget(review: Summary, catalogCode: String, implementationCode: String?) async throws -> (String?, String?) {
        let item = try await provisionalTarget(department: review.department, catalogCode: catalogCode, implementationCode: implementationCode)
        guard item.itemType.recordKind == RecordKind(rawValue: review.recordKind) else {
            throw ReviewError.invalid(
                "catalogCode",
                "item_type_mismatch",
                "事项类型（\(item.itemType.rawValue)）与记录类型不一致",
                "the local item's type \(item.itemType.rawValue) does not match the records' kind"
            )
        }
        return (catalogCode, nil)
    }

    /// The local item a decision or an imported proposal (`hub mappings import`) of `department` may point at.
    func provisionalTarget(department: String, catalogCode: String, implementationCode: String?) async throws -> LocalItemStore.LocalItem {
        guard let item = try await LocalItemStore(db: db).item(provisionalCode: catalogCode), item.department == department else {
            throw ReviewError.invalid(
                "catalogCode",
                "unknown_local_item",
                "本部门没有该临时编码的地方设立事项",
                "the department has no local item with this provisional code"
            )
        }
        switch item.status {
        case .proposed:
            throw ReviewError.invalid(
                "catalogCode",
                "local_item_not_approved",
                "该地方设立事项尚未经第二人复核报省",
                "the local item is not approved and sent to the province yet"
            )
        case .coded:
            throw ReviewError.invalid(
                "catalogCode",
                "local_item_coded",
                "该地方设立事项已获省级编码 \(item.provincialCode ?? "")，请选择省级编码",
                "the local item has its provincial code \(item.provincialCode ?? ""); choose that code"
            )
        case .sent: break
        }
        guard implementationCode == nil else {
            throw ReviewError.invalid(
                "implementationCode",
                "no_implementation_yet",
                "地方设立事项获省级编码前没有实施清单编码",
                "a local item has no implementation code before the province codes it"
            )
        }
        return item
    }
}
