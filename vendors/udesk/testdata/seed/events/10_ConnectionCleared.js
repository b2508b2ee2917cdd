{
    Code: "0000",
    Data: {
        CallID: "",
        AgentInfo: {},
        CustomerInfo: {},
        FromQueue: "",
        DisplayNum: undefined,
        WorkFlow: "",
        CallAuthority: "",
        CallType: "",
    },
    Message: "",
    Visible: false
}
