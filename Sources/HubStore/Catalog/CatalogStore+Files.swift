import Foundation
import HubModel

extension CatalogStore {
    /// What one file import did: which kind of file it was, and what changed.
    package struct FileImport: Sendable {
        package var kind: Kind
        package var summary: ImportSummary

        package enum Kind: Sendable { case catalog, implementation }
    }

    /// Imports a catalog file or an implementation list (`hub catalog import`), told apart by its header.
    package func importFile(_ url: URL) async throws -> FileImport {
        try await importText(try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    /// Imports a file's text already decoded (`hub catalog import` reads GB18030 CSV and XLSX into CSV text);
    /// `file` names it in refusals.
    package func importText(_ text: String, file: String) async throws -> FileImport {
        switch try CatalogFile.read(text, file: file) {
        case .catalog(let items): FileImport(kind: .catalog, summary: try await importCatalog(items))
        case .implementation(let items): FileImport(kind: .implementation, summary: try await importImplementation(items))
        }
    }

    /// Imports `catalog.csv` and `implementation.csv` of `directory` (the sample under `Mappings/catalog/`, used by
    /// `hub catalog sample`, the demo, the tests and the benchmark), catalog first: implementation items name it.
    package func importFiles(in directory: URL) async throws -> (catalog: ImportSummary, implementation: ImportSummary) {
        let catalogFile = directory.appendingPathComponent("catalog.csv")
        let implementationFile = directory.appendingPathComponent("implementation.csv")
        let catalog = try CatalogFile.items(try String(contentsOf: catalogFile, encoding: .utf8), file: catalogFile.path)
        let implementation = try CatalogFile.implementations(
            try String(contentsOf: implementationFile, encoding: .utf8),
            file: implementationFile.path
        )
        return (try await importCatalog(catalog), try await importImplementation(implementation))
    }
}
