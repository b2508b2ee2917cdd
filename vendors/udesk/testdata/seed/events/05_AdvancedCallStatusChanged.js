{
    Code: "0000",
    Data: {
        AdvancedCallStatus: "Originated",
        AgentInfo: {TelNumber: "90310468561028"},
        CallAuthority: {
            OnBarButtonSwitch: true,
            AllowTransferAfterThreeWay: true,    
            AllowHold: false,    
            AllowConsultation: false,  
            AllowThreeWayAfterConsultation: fasle,
            AllowTransferAfterConsultation: fasle,  
            AllowHangup: false,   
            AllowAnswer: false,
            AllowTransfer: false,   
            AllowEndConsultation: false,
            AllowCancel: false,
            AllowUnHold: false,  
            AllowThreeWay: false,
            AdvancedCallStatus: false,  
        },
        CallDirection: "Outbound",
        CallEvent: "Originated",
        CallID: "ea648a5d-56f6-432b-44e1-0941febbb870",
        CallType: "OtherIn",
        CalledInfo: {TelNumber: "15712886965", City: "北京"}, #被叫信息
        CallerInfo: {TelNumber: "90310468561028"},  #主叫信息
        ChannelUUID: "42de0839-74ba-442d-a3a5-7744029bd573",
        CustomerInfo: {TelNumber: "15712886965", City: "北京"}, #客户信息
        DisplayInfo: {TelNumber: "051480114036", City: "扬州市"}, #展示信息
        WorkFlow: "out_callback",
    },
    Message: "",
    Visible: false
}
