{
    Code: "0000",
    Data: {

    },
    Message: "",
    Visible: false
}
