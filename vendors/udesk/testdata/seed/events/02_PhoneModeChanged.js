{
    Code: "0000",
    Data: [{
        CurContact: "voip"
        CurExtState: "offline"
        CurNumber: "90310468561028"
    }],
    Message: "",
    Visible: false
}
