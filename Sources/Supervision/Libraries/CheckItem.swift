/// One line of a department's 抽查事项清单: a catalog inspection item it checks at random, with what is checked
/// and how. A non-empty `jointDepartments` puts the item on the 跨部门联合抽查事项清单 too, naming the other
/// departments that check it together with this one.
public struct CheckItem: Sendable, Hashable, Codable {
    public var departmentCode: String
    /// 监管事项目录编码, 14 digits.
    public var catalogCode: String
    /// 检查实施清单编码, when the department names it.
    public var implementationCode: String?
    public var name: String
    /// 检查内容.
    public var checkContent: String
    /// 检查方式 (e.g. 现场检查, 书面检查, 网络监测).
    public var checkMethod: String
    /// The other departments of a joint item; empty for a department-only item.
    public var jointDepartments: [String]

    public init(
        departmentCode: String,
        catalogCode: String,
        implementationCode: String? = nil,
        name: String,
        checkContent: String,
        checkMethod: String,
        jointDepartments: [String] = []
    ) {
        self.departmentCode = departmentCode
        self.catalogCode = catalogCode
        self.implementationCode = implementationCode
        self.name = name
        self.checkContent = checkContent
        self.checkMethod = checkMethod
        self.jointDepartments = jointDepartments
    }

    public var isJoint: Bool { !jointDepartments.isEmpty }
}
