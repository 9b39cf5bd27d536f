import HubModel

/// What a department or a monitoring system saw and reports for the risk models to read (DOMAIN §6).
///
/// An observation is a fact, not a judgement: the models decide whether it warrants a warning. It is identified by
/// the sender's `observationId`, unique within its `department`, so that a resent batch is recognised.
public struct Observation: Sendable, Hashable {
    public var observationId: String
    /// The department (or monitoring system's owner) that reports it.
    public var department: String
    /// When it was seen (Asia/Shanghai date).
    public var observedOn: CalendarDate
    /// The market subject the observation is about, linked to the object library by USCC when known.
    public var subject: ObservedSubject
    /// 行政区划代码 where it was seen, when the sender knows it (else the subject's USCC region).
    public var regionCode: String?
    public var detail: ObservationDetail

    public init(
        observationId: String,
        department: String,
        observedOn: CalendarDate,
        subject: ObservedSubject,
        regionCode: String? = nil,
        detail: ObservationDetail
    ) {
        self.observationId = observationId
        self.department = department
        self.observedOn = observedOn
        self.subject = subject
        self.regionCode = regionCode
        self.detail = detail
    }

    public var kind: ObservationKind { detail.kind }
}

/// The kinds of observation the risk models read.
public enum ObservationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An advertisement seen (TV, radio, print, outdoor, web, social media …).
    case advertisement
    /// A product listed for sale on an online platform.
    case listing
    /// A complaint or report (投诉举报).
    case complaint
    /// A licence or filing on record for a subject.
    case licence

    public var label: String {
        switch self {
        case .advertisement: "广告监测"
        case .listing: "网络交易商品"
        case .complaint: "投诉举报"
        case .licence: "许可备案"
        }
    }
}

/// The market subject an observation is about. `uscc` is the 统一社会信用代码 when the sender knows it; an online
/// shop or an advertiser may be known only by name.
public struct ObservedSubject: Sendable, Hashable {
    public var uscc: String?
    public var name: String

    public init(uscc: String?, name: String) {
        self.uscc = uscc
        self.name = name
    }
}

/// The kind-specific content of an observation.
public enum ObservationDetail: Sendable, Hashable {
    case advertisement(Advertisement)
    case listing(OnlineListing)
    case complaint(Complaint)
    case licence(LicenceFact)

    public var kind: ObservationKind {
        switch self {
        case .advertisement: .advertisement
        case .listing: .listing
        case .complaint: .complaint
        case .licence: .licence
        }
    }
}
