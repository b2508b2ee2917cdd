{
    Code: "0000",
    Data: {
        SipServer: "xxxxx",
        Number: "xxxxx",
        Password: "xxxxx",  
    },
    Message: "",
    Visible: false
}
