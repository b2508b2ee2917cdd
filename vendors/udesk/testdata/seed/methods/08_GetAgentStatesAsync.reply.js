{
    Code: "0000",
    Data: [{
        Code: "idle", Label: "空闲"
    },
    {
        Code: "busy", Label: "忙碌"
    },
    {
        Code: "onBreak", Label: "小休"
    },
    {
        Code: "offline", Label: "离线"
    },
    {
        Code: 101, Label: "午饭", Owner: "onBreak"
    },
    {
        Code: 102, Label: "洗手", Owner: "onBreak"
    },
    {
        Code: 103, Label: "哈哈", Owner: "onBreak"
    },
    {
        Code: 107, Label: "加班", Owner: "onBreak"
    }],
    Message: "",
    Visible: false
}
