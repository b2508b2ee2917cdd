{
    Code: "0000",
    Data: [{
        CurState: "busy",
        CurStateSubId: "0",
        OldState: "idle"
    }],
    Message: "",
    Visible: false
}
