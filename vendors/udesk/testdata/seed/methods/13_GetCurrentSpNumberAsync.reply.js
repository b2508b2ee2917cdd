{
    Code: "0000",
    Data: "xxxxx",
    Message: "",
    Visible: false
}
