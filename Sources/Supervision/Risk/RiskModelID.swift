/// The five risk-warning models the plan names (二(二)3), one YAML file each under `Mappings/risk/`.
///
/// The raw value is the one spelling used in files, the database, the API and the provincial feed.
public enum RiskModelID: String, Sendable, Hashable, Codable, CaseIterable {
    /// 虚假医疗广告监测: medical, drug or device ads with forbidden claims or without an approval number.
    case falseMedicalAd = "false_medical_ad"
    /// 非法集资: promised fixed or high returns, 保本保息, recruiting the public, without a financial licence.
    case illegalFundraising = "illegal_fundraising"
    /// 非法销售药品: drugs sold without a 药品经营许可证.
    case illegalDrugSales = "illegal_drug_sales"
    /// 非法销售处方药品: prescription drugs sold without prescription checks.
    case illegalPrescriptionSales = "illegal_prescription_sales"
    /// 非法销售医疗器械: class II/III devices sold without 经营许可 or 备案.
    case illegalDeviceSales = "illegal_device_sales"

    /// The model's name as operators and the province know it.
    public var label: String {
        switch self {
        case .falseMedicalAd: "虚假医疗广告监测"
        case .illegalFundraising: "非法集资"
        case .illegalDrugSales: "非法销售药品"
        case .illegalPrescriptionSales: "非法销售处方药品"
        case .illegalDeviceSales: "非法销售医疗器械"
        }
    }
}
