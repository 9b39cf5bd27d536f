import Foundation
import HubModel
import Supervision

/// The repository's model files and corpus, read the way the tests need them.
enum RiskFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The five models of `Mappings/risk/`.
    static func models() throws -> RiskModelSet {
        let dir = root.appendingPathComponent("Mappings/risk")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try RiskModelSet.parse(names.map { ("Mappings/risk/\($0)", try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) })
    }

    struct Case {
        var scenario: String
        var observation: Observation
        var facts: RiskFacts
        var expected: Set<RiskModelID>
    }

    /// `Fixtures/<file>` (scripts/gen_risk_corpus.py). A small decoder of the push document's rows for
    /// the test alone: the corpus is well-formed by construction, so it checks nothing the reader would.
    static func corpus(_ file: String) throws -> [Case] {
        let url = root.appendingPathComponent("Tests/SupervisionTests/Fixtures/\(file)")
        let top = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (top["cases"] as! [[String: Any]]).map { c in
            Case(
                scenario: c["scenario"] as! String,
                observation: observation(c["observation"] as! [String: Any]),
                facts: facts(c["facts"] as! [String: Any]),
                expected: Set((c["expected"] as! [String]).map { RiskModelID(rawValue: $0)! })
            )
        }
    }

    static func observation(_ o: [String: Any], department: String = "HY-SCJG") -> Observation {
        let subject = o["subject"] as! [String: Any]
        let detail: ObservationDetail
        switch o["kind"] as! String {
        case "advertisement":
            let a = o["advertisement"] as! [String: Any]
            detail = .advertisement(
                Advertisement(
                    medium: a["medium"] as! String,
                    location: a["location"] as! String,
                    text: a["text"] as! String,
                    advertiser: a["advertiser"] as! String,
                    approvalNumber: a["approvalNumber"] as? String,
                    product: AdvertisedProduct(rawValue: a["product"] as! String)!
                )
            )
        case "listing":
            let l = o["listing"] as! [String: Any]
            detail = .listing(
                OnlineListing(
                    platform: l["platform"] as! String,
                    shop: l["shop"] as! String,
                    productName: l["productName"] as! String,
                    category: ListingCategory(rawValue: l["category"] as! String)!,
                    prescription: l["prescription"] as! Bool,
                    prescriptionChecked: l["prescriptionChecked"] as? Bool,
                    deviceClass: l["deviceClass"] as? Int,
                    seller: l["seller"] as! String,
                    text: l["text"] as! String
                )
            )
        case "complaint":
            let c = o["complaint"] as! [String: Any]
            detail = .complaint(
                Complaint(text: c["text"] as! String, amountFen: (c["amountFen"] as? Int).map(Int64.init), channel: c["channel"] as! String)
            )
        default:
            detail = .licence(licence(o["licence"] as! [String: Any]))
        }
        return Observation(
            observationId: o["observationId"] as! String,
            department: department,
            observedOn: CalendarDate(o["observedOn"] as! String)!,
            subject: ObservedSubject(uscc: subject["uscc"] as? String, name: subject["name"] as! String),
            regionCode: o["regionCode"] as? String,
            detail: detail
        )
    }

    static func licence(_ l: [String: Any]) -> LicenceFact {
        LicenceFact(
            kind: LicenceKind(rawValue: l["kind"] as! String)!,
            number: l["number"] as! String,
            validFrom: CalendarDate(l["validFrom"] as! String)!,
            validUntil: (l["validUntil"] as? String).flatMap(CalendarDate.init),
            revoked: l["revoked"] as? Bool ?? false
        )
    }

    static func facts(_ f: [String: Any]) -> RiskFacts {
        RiskFacts(
            licences: (f["licences"] as! [[String: Any]]).map(licence),
            recentComplaints: f["recentComplaints"] as! Int,
            recentComplaintIds: f["recentComplaintIds"] as! [String],
            complaintWindowDays: f["complaintWindowDays"] as! Int
        )
    }
}
