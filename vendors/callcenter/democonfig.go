package callcenter

import "time"

// Demo identities: the agent and the supervisor a new user signs in as.
const (
	DemoAgent      = "8001"
	DemoSupervisor = "8000"
	DemoTrunk      = "4008001234"
)

// DemoConfig is a small center for the built-in demo and for tests: one
// tenant, the demo agent 8001 and supervisor 8000, two simulated
// colleagues (8002, 8003), two queues behind an IVR menu, a satisfaction
// survey, caller IDs and a number pool. Passwords are given by the caller
// (the demo makes random ones).
func DemoConfig(agentPassword, supervisorPassword string) Config {
	return Config{
		Tenants: []TenantConfig{{ID: "demo", Name: "演示公司"}},
		Agents: []AgentConfig{
			{ID: DemoSupervisor, Name: "演示班长", Password: supervisorPassword, Skills: []string{"sales", "service"}, Supervisor: true},
			{ID: DemoAgent, Name: "演示坐席", Password: agentPassword, Skills: []string{"sales", "service"}},
			{ID: "8002", Name: "模拟坐席小王", Password: agentPassword, Skills: []string{"sales"}},
			{ID: "8003", Name: "模拟坐席小李", Password: agentPassword, Skills: []string{"service"}},
		},
		Queues: []QueueConfig{
			{Name: "售前咨询", Number: "9001", Skill: "sales", RingTimeout: 20 * time.Second, MaxWait: 90 * time.Second, Overflow: "售后服务", WrapUp: 10 * time.Second, Survey: true},
			{Name: "售后服务", Number: "9002", Skill: "service", RingTimeout: 20 * time.Second, WrapUp: 10 * time.Second, Survey: true},
		},
		IVRs: []IVRConfig{{Name: "main", Start: "welcome", Nodes: []IVRNode{
			{ID: "welcome", Kind: NodePrompt, Prompt: "您好，欢迎致电演示公司。", PromptFor: 2 * time.Second, Next: "menu"},
			{ID: "menu", Kind: NodeMenu, Prompt: "售前咨询请按1，售后服务请按2。", PromptFor: 3 * time.Second,
				Options: map[string]string{"1": "sales", "2": "service"}, Default: "sales"},
			{ID: "sales", Kind: NodeQueue, Queue: "售前咨询"},
			{ID: "service", Kind: NodeQueue, Queue: "售后服务"},
			{ID: SurveyNodeID, Kind: NodeSurvey, Prompt: "请对本次服务进行评价，满意请按1，一般请按2，不满意请按3。", PromptFor: 4 * time.Second},
		}}},
		Trunks: []TrunkConfig{
			{Number: DemoTrunk, Label: "客服热线", Route: "ivr:main"},
			{Number: "02512345678", Label: "售后直线", Route: "queue:售后服务"},
		},
		CallerIDs: []CallerIDConfig{
			{ID: "hotline", Number: DemoTrunk, Label: "客服热线"},
			{ID: "nanjing", Number: "02512345678", Label: "南京座机"},
		},
		Pools: map[string][]string{"outbound": {"02566660001", "02566660002", "02566660003"}},
		Arrivals: Arrivals{
			PerMinute: 2, MeanPatience: 90 * time.Second, MeanTalk: 40 * time.Second, Speech: true,
		},
		Outbound: []Customer{
			{Number: "13900000486", Busy: true},
			{Number: "13900000480", AnswerAfter: -1},
		},
	}
}
