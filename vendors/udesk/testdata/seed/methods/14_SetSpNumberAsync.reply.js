{
    Code: "0000",
    Data: null,
    Message: "",
    Visible: false
}
