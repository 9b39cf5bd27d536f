import Foundation
import HubModel
import Yams

/// Reads department profiles from `Mappings/departments/*.yaml`, reporting any problem with file and line
/// at load time, so that a wrong profile stops the hub from starting instead of mis-mapping records.
///
/// Beside `DepartmentProfile` (not in the database module): reading files is no database work, and its unit
/// tests need no PostgreSQL.
package enum ProfileLoader {
    package struct Problem: Error, CustomStringConvertible, Equatable {
        package var file: String
        package var line: Int
        package var reason: String
        package var description: String { "\(file):\(line): \(reason)" }
    }

    /// Every profile in `directory`, keyed by department code. A missing folder is no profiles.
    package static func loadAll(from directory: URL) throws -> [String: DepartmentProfile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [:] }
        var out: [String: DepartmentProfile] = [:]
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let url = directory.appendingPathComponent(name)
            let profile = try parse(try String(contentsOf: url, encoding: .utf8), file: url.path)
            if let other = out[profile.code] {
                throw Problem(file: url.path, line: 1, reason: "department \(profile.code) is also defined in \(other.source)")
            }
            out[profile.code] = profile
        }
        return out
    }

    /// The canonical record fields a profile may map to (top-level names and the sections' dotted paths).
    static let canonicalPaths: Set<String> = {
        var paths = Set<String>()
        func walk(_ spec: FieldSpec, _ prefix: String) {
            guard case .object(let members) = spec else { return }
            for m in members {
                let path = prefix.isEmpty ? m.name : prefix + "." + m.name
                paths.insert(path)
                walk(m.spec, path)
            }
        }
        walk(RecordSchema.record, "")
        return paths
    }()

    package static func parse(_ source: String, file: String) throws -> DepartmentProfile {
        let root: Node?
        do { root = try Yams.compose(yaml: source) } catch {
            throw Problem(file: file, line: lineOf(error), reason: "not valid YAML: \(error)")
        }
        guard let root, case .mapping(let top) = root else { throw Problem(file: file, line: 1, reason: "a profile is a mapping") }
        func line(_ n: Node?) -> Int { n?.mark?.line ?? 1 }
        func fail(_ n: Node?, _ reason: String) -> Problem { Problem(file: file, line: line(n), reason: reason) }
        let known: Set<String> = ["code", "name", "catalogDepartment", "agency", "agencies", "systems", "fields", "values", "items"]
        for (k, _) in top where !known.contains(k.string ?? "") {
            throw fail(k, "unknown key \"\(k.string ?? "")\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String, in map: Node.Mapping, required: Bool = true) throws -> String? {
            guard let v = map[key] else {
                if required { throw Problem(file: file, line: line(Node.mapping(map)), reason: "\(key) is required") }
                return nil
            }
            guard let s = v.string, !s.isEmpty else { throw fail(v, "\(key) must be a non-empty text") }
            return s
        }
        let code = try text("code", in: top)!
        var profile = DepartmentProfile(
            code: code,
            name: try text("name", in: top)!,
            catalogDepartment: try text("catalogDepartment", in: top)!,
            source: file
        )
        if let agency = top["agency"] {
            guard case .mapping(let a) = agency else { throw fail(agency, "agency must be a mapping with code, name, level") }
            let agencyCode = try text("code", in: a)!
            do { _ = try USCC(agencyCode) } catch { throw fail(a["code"], "agency.code \(agencyCode) is not a valid USCC") }
            profile.agencyCode = agencyCode
            profile.agencyName = try text("name", in: a, required: false)
            if let level = a["level"] {
                guard let l = level.int, (1...5).contains(l) else { throw fail(level, "agency.level must be 1-5") }
                profile.agencyLevel = l
            }
        }
        if let agencies = top["agencies"] {
            guard case .sequence(let seq) = agencies else { throw fail(agencies, "agencies must be a list of {code, name}") }
            for a in seq {
                guard case .mapping(let m) = a else { throw fail(a, "an agency is a mapping with code and name") }
                let agencyCode = try text("code", in: m)!
                do { _ = try USCC(agencyCode) } catch { throw fail(m["code"], "agencies: \(agencyCode) is not a valid USCC") }
                profile.agencies.append(.init(code: agencyCode, name: try text("name", in: m, required: false)))
            }
        }
        if let systems = top["systems"] {
            guard case .sequence(let seq) = systems else { throw fail(systems, "systems must be a list") }
            for s in seq {
                guard case .mapping(let m) = s else { throw fail(s, "a system is a mapping with name and mode") }
                let mode = try text("mode", in: m, required: false) ?? "push"
                guard ["push", "pull"].contains(mode) else { throw fail(m["mode"], "mode must be push or pull") }
                let known: Set<String> = ["name", "mode", "url", "format", "tokenEnv", "intervalSeconds", "pageSize", "content"]
                for (k, _) in m where !known.contains(k.string ?? "") {
                    throw fail(k, "unknown system key \"\(k.string ?? "")\" (known: \(known.sorted().joined(separator: ", ")))")
                }
                var pull: DepartmentProfile.Pull?
                if mode == "pull" {
                    let url = try text("url", in: m)!
                    guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw fail(m["url"], "url must be http:// or https://") }
                    let format = try text("format", in: m, required: false) ?? "json"
                    guard ["json", "xml"].contains(format) else { throw fail(m["format"], "format must be json or xml") }
                    let interval = m["intervalSeconds"].map { $0.int } ?? 60
                    guard let interval, interval >= 1 else { throw fail(m["intervalSeconds"], "intervalSeconds must be a whole number ≥ 1") }
                    let page = m["pageSize"].map { $0.int } ?? 500
                    guard let page, (1...1000).contains(page) else { throw fail(m["pageSize"], "pageSize must be 1-1000") }
                    let contentName = try text("content", in: m, required: false) ?? "records"
                    guard let content = DepartmentProfile.Pull.Content(rawValue: contentName) else {
                        throw fail(m["content"], "content must be records or observations")
                    }
                    pull = .init(
                        url: url,
                        format: format,
                        tokenEnv: try text("tokenEnv", in: m, required: false),
                        intervalSeconds: interval,
                        pageSize: page,
                        content: content
                    )
                }
                profile.systems.append(.init(name: try text("name", in: m)!, mode: mode, pull: pull))
            }
        }
        if let fields = top["fields"] {
            guard case .mapping(let m) = fields else { throw fail(fields, "fields must map local names to canonical paths") }
            for (k, v) in m {
                guard let local = k.string, let target = v.string else { throw fail(k, "fields: both sides must be text") }
                guard canonicalPaths.contains(target) else { throw fail(v, "fields.\(local): \"\(target)\" is not a canonical record field") }
                profile.fields[local] = target
            }
        }
        if let values = top["values"] {
            guard case .mapping(let m) = values else { throw fail(values, "values must map canonical paths to value maps") }
            for (k, v) in m {
                guard let path = k.string, canonicalPaths.contains(path) else {
                    throw fail(k, "values: \"\(k.string ?? "")\" is not a canonical record field")
                }
                guard case .mapping(let pairs) = v else { throw fail(v, "values.\(path) must map local values to national codes") }
                var map: [String: String] = [:]
                for (lk, lv) in pairs {
                    guard let l = lk.string, let n = lv.string else { throw fail(lk, "values.\(path): both sides must be text") }
                    map[l] = n
                }
                profile.values[path] = map
            }
        }
        if let items = top["items"] {
            guard case .sequence(let seq) = items else { throw fail(items, "items must be a list") }
            for i in seq {
                guard case .mapping(let m) = i else { throw fail(i, "an item is a mapping with localCode, catalogCode, implementationCode") }
                let catalogCode = try text("catalogCode", in: m)!
                guard CatalogCode(catalogCode) != nil else { throw fail(m["catalogCode"], "catalogCode must be 14 digits") }
                let implementationCode = try text("implementationCode", in: m)!
                do { _ = try ImplementationCode(implementationCode) } catch { throw fail(m["implementationCode"], "implementationCode is not valid") }
                profile.items.append(
                    .init(localCode: try text("localCode", in: m)!, catalogCode: catalogCode, implementationCode: implementationCode)
                )
            }
        }
        return profile
    }

    static func lineOf(_ error: any Error) -> Int {
        if let e = error as? YamlError, case let .scanner(_, _, mark, _) = e { return mark.line }
        if let e = error as? YamlError, case let .parser(_, _, mark, _) = e { return mark.line }
        return 1
    }
}
