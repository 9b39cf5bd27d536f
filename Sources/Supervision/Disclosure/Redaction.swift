import HubModel

/// The publication text of an act after redaction: what the public pages, the feed and the provincial portals
/// receive, and nothing else.
public struct RedactedPublication: Sendable, Hashable {
    public var title: String
    /// The party as published: an organisation's name, or a natural person's masked name (张*).
    public var subjectName: String
    /// The USCC when the party is an organisation (public by law); nil otherwise.
    public var uscc: String?
    /// A natural person's ID number masked to its first and last character; nil for organisations.
    public var maskedIdNumber: String?
    public var fields: [PublishableAct.Field]

    public init(title: String, subjectName: String, uscc: String?, maskedIdNumber: String?, fields: [PublishableAct.Field]) {
        self.title = title
        self.subjectName = subjectName
        self.uscc = uscc
        self.maskedIdNumber = maskedIdNumber
        self.fields = fields
    }
}

/// Published after redaction, or kept from the public with the reason.
public enum RedactionOutcome: Sendable, Hashable {
    case published(RedactedPublication)
    case withheld(WithholdingReason)
}

/// The redaction rules of DOMAIN.md §7, as one pure function.
///
/// | party | name | code | addresses, phones, accounts, health data |
/// |---|---|---|---|
/// | natural person (公民, or a personal document) | 张* | ID first and last character | hidden |
/// | individual business (USCC 92…) | as registered | USCC | hidden (they are the operator's) |
/// | legal person, other organisation | as registered | USCC | bank accounts hidden, addresses kept |
///
/// Other persons' names, resident IDs, mobiles, landlines and account numbers are scrubbed from every text
/// (`TextScrubber`). Nothing is published for a minor, or when the act involves state or trade secrets.
public enum Redaction {
    public static func redact(_ act: PublishableAct) -> RedactionOutcome {
        if act.flags.minor { return .withheld(.minor) }
        if act.flags.stateSecret { return .withheld(.stateSecret) }
        if act.flags.tradeSecret { return .withheld(.tradeSecret) }

        let party = act.party
        let natural = party.isNaturalPerson
        var names = act.otherPersons
        var removals = party.bankAccounts + party.phones + party.healthData + act.sensitiveTexts
        var exempt: Set<String> = []
        if natural {
            names.append(party.name)
            removals += party.addresses
            removals.append(party.idNumber)
        } else {
            exempt.insert(party.idNumber)
            if party.isIndividualBusiness { removals += party.addresses }
        }
        // The party's own name is never scrubbed as "another person" when it is an organisation.
        if !natural { names.removeAll { $0 == party.name } }
        let scrubber = TextScrubber(names: names, removals: removals, exemptCodes: exempt)

        let fields = act.fields.map { PublishableAct.Field($0.key, $0.label, scrubber.scrub($0.value)) }
        return .published(
            RedactedPublication(
                title: scrubber.scrub(act.title),
                subjectName: natural ? TextScrubber.maskName(party.name) : party.name,
                uscc: natural || party.idType != "001" ? nil : party.idNumber,
                maskedIdNumber: natural ? PersonalData.maskIDNumber(party.idNumber) : nil,
                fields: fields
            )
        )
    }
}
