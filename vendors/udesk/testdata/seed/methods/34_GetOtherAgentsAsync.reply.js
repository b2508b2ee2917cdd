{
    Code: "0000",
    Data: [{
        AgentId: "78",     
        AppId: "xxxxxx", 
        Email: "diandian@test.cn",
        Enable: true, 
        ExtState: 0,
        ExtenInfos: null,
        Extensions: null,
        Mobile: "xxxxxxx",
        Name: "xxxxxxx",
        Queues: null,
        QueuesNames: null,
        Role: "agent",
        State: 1,
        WorkId: "",
        WrapUpTime: 0,
    }],
    Message: "",
    Visible: false
}
