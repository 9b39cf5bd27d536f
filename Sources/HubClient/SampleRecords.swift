/// Valid canonical records for the demo, the tests and the benchmark, in the push API's JSON.
package enum SampleRecords {
    /// A batch body around record objects.
    package static func batch(_ records: [String], batchId: String? = nil) -> String {
        let id = batchId.map { "\"batchId\":\"\($0)\"," } ?? ""
        return "{\(id)\"records\":[\(records.joined(separator: ","))]}"
    }

    /// A 双随机 inspection of a pharmacy; `localCode` instead of codes leaves the item to be resolved by mapping.
    package static func inspection(
        localId: String,
        catalogCode: String?,
        implementationCode: String?,
        agencyCode: String,
        agencyName: String = "衡阳市市场监督管理局",
        localCode: String = "JC-0042",
        partyUSCC: String = "91330105MA2KER1H4N",
        inspectorCount: Int = 2,
        result: String = "01",
        date: String = "2026-11-20T09:30:00+08:00",
        submittedAt: String = "2026-11-21T10:00:00+08:00"
    ) -> String {
        var item = "\"localCode\":\"\(localCode)\",\"localName\":\"药品零售企业监督检查\",\"legalBasis\":\"《中华人民共和国药品管理法》第九十九条\""
        if let catalogCode { item += ",\"catalogCode\":\"\(catalogCode)\"" }
        if let implementationCode { item += ",\"implementationCode\":\"\(implementationCode)\"" }
        let inspectors = (0..<inspectorCount).map { "{\"name\":\"检查员\($0 + 1)\",\"certificateNo\":\"43040020260\($0 + 10)\"}" }.joined(separator: ",")
        return """
            {"localId":"\(localId)","kind":"inspection","operation":"upsert",\
            "item":{\(item)},\
            "actionName":"对衡阳市某大药房的日常监督检查",\
            "agency":{"name":"\(agencyName)","code":"\(agencyCode)"},\
            "subject":{"type":"01","name":"衡阳市某大药房有限公司"},\
            "party":{"name":"衡阳市某大药房有限公司","nature":"2","idType":"001","idNumber":"\(partyUSCC)",\
            "registeredAddress":"湖南省衡阳市珠晖区东风路1号","businessAddress":"湖南省衡阳市珠晖区东风路1号"},\
            "regionCode":"430405",\
            "inspection":{"form":"01","category":"01","mode":"01","result":"\(result)","date":"\(date)","inspectors":[\(inspectors)]},\
            "submittedAt":"\(submittedAt)","submittedBy":"张三"}
            """
    }
}

extension SampleRecords {
    /// A general-procedure fine of a pharmacy, coded against a penalty implementation item.
    package static func penalty(
        localId: String,
        catalogCode: String,
        implementationCode: String,
        agencyCode: String,
        filedAt: String = "2026-10-08T09:00:00+08:00",
        decidedAt: String = "2026-11-02T15:00:00+08:00",
        closedAt: String = "2026-11-18T10:00:00+08:00",
        fineAmount: String = "5000.00",
        submittedAt: String = "2026-11-21T10:00:00+08:00"
    ) -> String {
        """
        {"localId":"\(localId)","kind":"penalty",\
        "item":{"localCode":"CF-0107","localName":"销售劣药行政处罚","legalBasis":"《中华人民共和国药品管理法》第一百一十七条",\
        "catalogCode":"\(catalogCode)","implementationCode":"\(implementationCode)"},\
        "actionName":"对衡阳市某大药房销售劣药的行政处罚",\
        "agency":{"name":"衡阳市市场监督管理局","code":"\(agencyCode)"},\
        "subject":{"type":"01","name":"衡阳市某大药房有限公司"},\
        "party":{"name":"衡阳市某大药房有限公司","nature":"2","idType":"001","idNumber":"913303275586060950"},\
        "regionCode":"430405",\
        "penalty":{"caseSource":"01","facts":"该药房销售的某批次药品经检验为劣药。","basis":"《中华人民共和国药品管理法》第一百一十七条第一款",\
        "procedure":"02","hearing":false,"filedAt":"\(filedAt)","criminal":false,"major":false,\
        "legalReview":{"done":true,"date":"2026-10-28T10:00:00+08:00","opinion":"同意"},\
        "decisionNo":"衡市监罚〔2026〕12号","decidedAt":"\(decidedAt)","kinds":["01","02"],"fineAmount":"\(fineAmount)",\
        "execution":{"method":"自觉履行","result":"已缴纳","paidAmount":"\(fineAmount)","closedAt":"\(closedAt)"}},\
        "submittedAt":"\(submittedAt)","submittedBy":"李四"}
        """
    }
}
