{
    Code: "0000",
    Data: {
        WrapUpTime: 0
    },
    Message: "",
    Visible: false
}
