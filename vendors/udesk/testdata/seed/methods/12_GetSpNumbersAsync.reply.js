{
    Code: "0000",
    Data: ["xxxxx", "xxxxx", "xxxxx"]
    Message: "",
    Visible: false
}
