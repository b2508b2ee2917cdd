{
    Code: "0000",
    Data: [{
        CurExtState:"offline"
        CurMode:"voip"
        CurState:"busy"
    }],
    Message: "",
    Visible: false
}
