/// The well-known secrets of the demo and the provincial simulator. They are in this source for everyone to
/// read, so only `hub-demo` may use them: `hub serve` and `hub sync` refuse to start with any of them
/// (`HubConfiguration.refuseDemoSecrets()`).
public enum DemoSecrets {
    /// The bearer token the simulator expects by default (`SIM_TOKEN`).
    public static let provinceToken = "sim-token"
    /// The secret the simulator signs receipts with by default (`SIM_RECEIPT_SECRET`).
    public static let receiptSecret = "sim-receipt-secret"
    /// The token of the department system the simulator plays (`SIM_DEPT_TOKEN`).
    public static let departmentToken = "dept-token"

    static let all: Set<String> = [provinceToken, receiptSecret, departmentToken]
}

/// A setting that would make the hub run with a secret anyone can read.
public struct DemoSecretsRefused: Error, CustomStringConvertible {
    public let variables: [String]

    public var description: String {
        let names = variables.joined(separator: ", ")
        return """
            拒绝启动：已配置省平台（HUB_PROVINCE_URL），但 \(names) 未设置或仍为演示值；请设置省平台分配的真实密钥。演示请用 hub-demo。
            refusing to start: a province is configured (HUB_PROVINCE_URL) but \(names) is unset or holds a demo value; \
            set the secrets the province issued. For a demo, run `hub-demo`.
            """
    }
}

extension HubConfiguration {
    /// Throws when a production command (`hub serve`, `hub sync`) would run with a demo secret.
    public func refuseDemoSecrets() throws {
        let variables = exchange.demoSecretsInUse
        if !variables.isEmpty { throw DemoSecretsRefused(variables: variables) }
    }
}
