{
    Code: "0000",
    Data: [{
        Id: "cellphone",
        Name: "手机"
    },
    {
        Id: "voip",
        Name: "IP话机"
    },
    {
        Id: "webrtc",
        Name: "网页电话"
    }],
    Message: "",
    Visible: false
}
