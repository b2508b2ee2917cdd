package callcenter

import (
	"fmt"
	"math"
	"time"
)

// SetArrivalRate changes the mean number of customers calling per minute
// (0 stops the random arrivals).
func (cc *Center) SetArrivalRate(perMinute float64) error {
	if perMinute < 0 || perMinute > 6000 || math.IsNaN(perMinute) {
		return fmt.Errorf("%w: arrival rate %v per minute", ErrInvalidConfig, perMinute)
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.rate = perMinute
	cc.arrival.stop()
	if cc.started {
		cc.scheduleArrival()
	}
	return nil
}

// scheduleArrival draws the next gap of the Poisson process. Caller holds
// cc.mu.
func (cc *Center) scheduleArrival() {
	if cc.rate <= 0 || cc.closed {
		return
	}
	gap := time.Duration(cc.rng.ExpFloat64() / cc.rate * float64(time.Minute))
	if !cc.arrived && cc.cfg.Arrivals.FirstAfter > 0 {
		gap = cc.cfg.Arrivals.FirstAfter
	}
	cc.schedule(&cc.arrival, gap, func() {
		cc.arrived = true
		cust := cc.randomCustomer()
		if _, err := cc.customerCallLocked(cust, cc.cfg.Arrivals.Trunk); err != nil {
			cc.log.Warn("callcenter: arrival", "err", err)
		}
		cc.scheduleArrival()
	})
}

// mobilePrefixes are real Chinese mobile prefixes, so that arrivals have
// locations.
var mobilePrefixes = [...]string{"138", "139", "135", "136", "150", "151", "186", "185", "188", "133", "153", "177", "180", "189"}

// sentences are what random customers say when Arrivals.Speech is on.
var sentences = [...]string{
	"您好，我想查询一下我的订单什么时候发货。",
	"你好，我上周买的东西有点问题，想申请退货。",
	"您好，请问你们的会员积分怎么使用？",
	"喂，你好，我的快递一直没有更新物流信息。",
	"你好，我想修改一下收货地址，可以吗？",
	"您好，我想咨询一下新出的套餐价格。",
}

// randomCustomer makes up a customer from the seeded source. Caller holds
// cc.mu.
func (cc *Center) randomCustomer() Customer {
	r := cc.rng
	number := mobilePrefixes[r.IntN(len(mobilePrefixes))] + fmt.Sprintf("%08d", r.IntN(100000000))
	patience := time.Duration(r.ExpFloat64() * float64(cc.cfg.Arrivals.MeanPatience))
	patience = max(patience, 10*time.Second)
	talk := time.Duration(r.ExpFloat64() * float64(cc.cfg.Arrivals.MeanTalk))
	talk = max(talk, 8*time.Second)
	voice := Voice{ToneHz: cc.randomTone()}
	var script []Step
	for spoken := time.Duration(0); spoken < talk; {
		say := time.Duration(1500+r.IntN(3000)) * time.Millisecond
		pause := time.Duration(800+r.IntN(2500)) * time.Millisecond
		step := Step{Kind: StepSay, For: Duration(say)}
		if cc.cfg.Arrivals.Speech {
			step.Text = sentences[r.IntN(len(sentences))]
		}
		script = append(script, step, Step{Kind: StepPause, For: Duration(pause)})
		spoken += say + pause
	}
	script = append(script, Step{Kind: StepHangUp})
	digits := ""
	for range 3 {
		digits += fmt.Sprint(1 + r.IntN(2))
	}
	return Customer{Number: number, Patience: Duration(patience), Voice: voice, Digits: digits,
		Score: fmt.Sprint(1 + r.IntN(3)), Script: script}
}
