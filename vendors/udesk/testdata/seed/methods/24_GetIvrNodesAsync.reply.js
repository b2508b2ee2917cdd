{
    Code: "0000",
    Data: [
        {
            id: 1,
            name: "ivr测试"
        },
    ],
    Message: "",
    Visible: false
}
