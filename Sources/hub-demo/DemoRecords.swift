import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import NIOCore

/// The records the demo starts with, each coded consistently: the action, the local item's name and legal
/// basis, the catalog item and the implementing agency all describe the same thing (a pharmacy inspection is
/// coded to 对药品零售企业的监督检查 through the district bureau that holds it, never to a food item).
///
/// - `first-record.json`: the pharmacy inspection, left for the newcomer to push.
/// - three inspections sent with only their local item, which the matcher cannot settle: held, so the review
///   queue has conflicts to look at (one ambiguous between a parent and its children, one between two food
///   items citing the same article, one with no catalog item at all);
/// - one food inspection the demo's simulator refuses as busy every time: after `HUB_SYNC_MAX_ATTEMPTS`
///   (3 in the demo) it is a dead letter on the exchange page and in `hub outbox dead`.
enum DemoRecords {
    /// The dead letter's localId: the demo's simulator is told to refuse it (`ProvincialPlatform.refuseAlways`).
    static let deadLetterLocalId = "SCJG-JC-DEMO-900001"

    struct Agency {
        var name: String
        var code: String
    }

    /// A pharmacy in 珠晖区 inspected under 《药品管理法》第九十九条: catalog item 43013100010000 through the
    /// 珠晖区 bureau's implementation item.
    static func firstRecord(_ hub: HubContext, localId: String = "SCJG-JC-DEMO-000001") async throws -> String {
        let agency = "衡阳市珠晖区市场监督管理局"
        let items = try await hub.catalog.implementations(agencyName: agency, limit: 1000)
        guard let item = items.first(where: { $0.catalogCode == "43013100010000" }) else {
            throw DemoError.missingItem("43013100010000 对药品零售企业的监督检查", agency)
        }
        return SampleRecords.inspection(
            localId: localId,
            catalogCode: item.catalogCode,
            implementationCode: item.code,
            agencyCode: item.agencyCode,
            agencyName: agency,
            partyUSCC: party("430405", "58123401")
        )
    }

    /// The records pushed when the demo starts (as the demo department: `IngestService`, the push API's path).
    static func seed(_ hub: HubContext) async throws -> (held: Int, toDeadLetter: Int) {
        guard let department = try await hub.departments.department(code: DemoSetup.departmentCode) else { return (0, 0) }
        let city = Agency(name: "衡阳市市场监督管理局", code: "11430400013248734H")
        let food = try await hub.catalog.implementations(agencyName: city.name, limit: 1000).first { $0.catalogCode == "43012100010000" }
        var records = [
            inspection(
                "SCJG-JC-DEMO-000101",
                item: ("TZSB-01", "特种设备安全检查", "《中华人民共和国特种设备安全法》第五十七条"),
                action: "对衡阳市某物业公司特种设备的安全检查",
                subject: "衡阳市某物业管理有限公司",
                party: party("430405", "58123402"),
                agency: city
            ),
            inspection(
                "SCJG-JC-DEMO-000102",
                item: ("SPAQ-07", "农贸市场食品安全检查", "《中华人民共和国食品安全法》第一百一十条"),
                action: "对衡阳市某农贸市场的食品安全检查",
                subject: "衡阳市某农贸市场经营管理有限公司",
                party: party("430405", "58123403"),
                agency: city
            ),
            inspection(
                "SCJG-JC-DEMO-000103",
                item: ("WLCY-02", "网络订餐平台入网餐饮服务检查", "《网络餐饮服务食品安全监督管理办法》第二十六条"),
                action: "对衡阳市某餐饮店网络订餐服务的检查",
                subject: "衡阳市某餐饮管理有限公司",
                party: party("430405", "58123404"),
                agency: city
            ),
        ]
        if let food {
            records.append(
                inspection(
                    deadLetterLocalId,
                    item: ("SPJY-01", "食品经营者监督检查", "《中华人民共和国食品安全法》第一百一十条"),
                    action: "对衡阳市某超市的食品经营监督检查",
                    subject: "衡阳市某超市有限公司",
                    party: party("430405", "58123405"),
                    agency: city,
                    codes: (food.catalogCode, food.code)
                )
            )
        }
        let body = SampleRecords.batch(records, batchId: "2026112600002")
        let (_, results) = try await hub.ingest.ingest(body: .init(string: body), contentType: "application/json", department: department)
        return (results.count { $0.status == .held || $0.originalStatus == .held }, food == nil ? 0 : 1)
    }

    /// An inspection record; without `codes` the item is left to the hub's mapping (the department's local item only).
    static func inspection(
        _ localId: String,
        item: (code: String, name: String, legalBasis: String),
        action: String,
        subject: String,
        party: String,
        agency: Agency,
        codes: (catalog: String, implementation: String)? = nil
    ) -> String {
        var fields: [(String, JSONValue)] = [
            ("localCode", .string(item.code)), ("localName", .string(item.name)), ("legalBasis", .string(item.legalBasis)),
        ]
        if let codes { fields += [("catalogCode", .string(codes.catalog)), ("implementationCode", .string(codes.implementation))] }
        let record: JSONValue = .object([
            ("localId", .string(localId)), ("kind", .string("inspection")), ("operation", .string("upsert")), ("item", .object(fields)),
            ("actionName", .string(action)), ("agency", .object([("name", .string(agency.name)), ("code", .string(agency.code))])),
            ("subject", .object([("type", .string("01")), ("name", .string(subject))])),
            (
                "party",
                .object([
                    ("name", .string(subject)), ("nature", .string("2")), ("idType", .string("001")), ("idNumber", .string(party)),
                    ("registeredAddress", .string("湖南省衡阳市珠晖区东风路1号")), ("businessAddress", .string("湖南省衡阳市珠晖区东风路1号")),
                ])
            ),
            ("regionCode", .string("430405")),
            (
                "inspection",
                .object([
                    ("form", .string("01")), ("category", .string("01")), ("mode", .string("01")), ("result", .string("01")),
                    ("date", .string("2026-11-20T09:30:00+08:00")),
                    (
                        "inspectors",
                        .array([
                            .object([("name", .string("检查员1")), ("certificateNo", .string("4304002026010"))]),
                            .object([("name", .string("检查员2")), ("certificateNo", .string("4304002026011"))]),
                        ])
                    ),
                ])
            ),
            ("submittedAt", .string("2026-11-21T10:00:00+08:00")), ("submittedBy", .string("张三")),
        ])
        return CanonicalJSON.string(record)
    }

    /// A valid enterprise USCC registered in `region` (both check characters computed).
    static func party(_ region: String, _ organisation: String) -> String {
        USCC.make(kind: "91", region: region, organisation: organisation) ?? "91330105MA2KER1H4N"
    }

    enum DemoError: Error, CustomStringConvertible {
        case missingItem(String, String)
        var description: String {
            switch self {
            case .missingItem(let item, let agency): "the sample catalog has no active item \(item) of \(agency)"
            }
        }
    }
}
