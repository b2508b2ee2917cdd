{
    Code: "0000",
    Data: [{
        CallID: "",
        CurState: "busy"
    }],
    Message: "",
    Visible: false
}
