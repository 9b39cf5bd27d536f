import HubModel

/// Local items that cite the same provision: one decision a reviewer makes about `《特种设备安全法》第五十七条`
/// usually holds for every local item of the department citing it, so the review page offers the others for
/// the same decision (each still decided, recorded and approved on its own).
///
/// Two bases share a provision when both cite the same instrument and article (the matcher's "依据同源");
/// paragraph and item are left aside here — the reviewer sees both bases before choosing.
public enum SharedBasis {
    /// The (instrument, article) pairs both `a` and `b` cite, in `a`'s order, paragraph and item dropped.
    public static func provisions(_ a: [LegalReference], _ b: [LegalReference]) -> [LegalReference] {
        var out: [LegalReference] = []
        for r in a {
            guard let article = r.article else { continue }
            let provision = LegalReference(instrument: r.instrument, article: article)
            if !out.contains(provision), b.contains(where: { $0.instrument == r.instrument && $0.article == article }) { out.append(provision) }
        }
        return out
    }

    /// Of `others` (an id and its basis's references), those sharing a provision with `target`, in their order,
    /// each with the provisions shared.
    public static func siblings<ID: Hashable>(
        of target: [LegalReference],
        among others: [(id: ID, references: [LegalReference])]
    ) -> [(
        id: ID, shared: [LegalReference]
    )] {
        others.compactMap { other in
            let shared = provisions(target, other.references)
            return shared.isEmpty ? nil : (other.id, shared)
        }
    }
}
