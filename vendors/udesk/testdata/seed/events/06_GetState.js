{
    Code: "0000",
    Data: {
        AdvancedCallStatus: undefined,
        AgentInfo: undefined,
        CallDirection: "",
        CallID: "",
        CallType: undefined,
        CurContact: "90310468561028",
        CurExtState: "idle",
        CurMode: "voip",
        CurState: "idle",
        CurSubStateId: "",
        CustomerInfo: undefined,
        DestNumber: "",
        DestNumberLoc: "",
        Payload: null,
        SpNumber: "",
        StartTime: "",
        UserData: "",
    },
    Message: "",
    Visible: false
}
