package callcenter

import (
	"maps"
	"slices"
	"time"
)

// Result is how a call ended, for the CDR.
type Result string

// Call results.
const (
	ResultAnswered    Result = "answered"    // an agent talked with the customer
	ResultAbandoned   Result = "abandoned"   // the customer hung up before an agent answered
	ResultOverflow    Result = "overflow"    // waited too long, no overflow queue
	ResultIVR         Result = "ivr"         // ended in the IVR (hang-up node or caller left)
	ResultBusy        Result = "busy"        // outbound/internal: the callee was busy
	ResultNoAnswer    Result = "no_answer"   // outbound/internal: nobody answered
	ResultCancelled   Result = "cancelled"   // outbound/internal: the caller gave up
	ResultFailed      Result = "failed"      // could not be set up
	ResultInterrupted Result = "interrupted" // the center closed mid-call
	// ResultAgentNoAnswer: a platform-placed call (PlaceCall) ended because
	// the agent's own device did not answer; nobody was dialled.
	ResultAgentNoAnswer Result = "agent_no_answer"
	ResultTransferOut   Result = "transfer_out" // reserved: handed off outside the center
)

// LegRecord is one party's leg of a call.
type LegRecord struct {
	Party     string    `json:"party"` // agent id, "customer" or OutsideParty(number)
	Role      Role      `json:"role"`
	Offered   time.Time `json:"offered"`
	Answered  time.Time `json:"answered,omitzero"`
	Ended     time.Time `json:"ended,omitzero"`
	EndReason string    `json:"end_reason,omitempty"`
	// Recording is the WAV file of the leg (left: what the party said,
	// right: what it heard), when the media front-end records.
	Recording string `json:"recording,omitempty"`
}

// CDR is the record of one finished call.
type CDR struct {
	CallID       CallID      `json:"call_id"`
	Tenant       string      `json:"tenant"`
	Direction    Direction   `json:"direction"`
	From         string      `json:"from"`
	To           string      `json:"to"`
	Display      string      `json:"display,omitempty"`
	Location     string      `json:"location,omitempty"`
	Queue        string      `json:"queue,omitempty"`
	Agent        string      `json:"agent,omitempty"` // the last agent who served
	IVRPath      []string    `json:"ivr_path,omitempty"`
	DTMF         string      `json:"dtmf,omitempty"`
	Satisfaction string      `json:"satisfaction,omitempty"`
	Arrived      time.Time   `json:"arrived"`
	Queued       time.Time   `json:"queued,omitzero"`
	Answered     time.Time   `json:"answered,omitzero"`
	Ended        time.Time   `json:"ended"`
	Result       Result      `json:"result"`
	HangupBy     Role        `json:"hangup_by,omitempty"`
	Offers       int         `json:"offers"`
	Legs         []LegRecord `json:"legs"`
	// Placed: a platform-placed call (PlaceCall): the agent's own device
	// rang first (its leg's Offered and Answered say when).
	Placed   bool              `json:"placed,omitempty"`
	UserData map[string]string `json:"user_data,omitempty"`
}

// Wait is how long the customer waited in queues before an answer (or
// before giving up).
func (r CDR) Wait() time.Duration {
	if r.Queued.IsZero() {
		return 0
	}
	end := r.Answered
	if end.IsZero() {
		end = r.Ended
	}
	return end.Sub(r.Queued)
}

// Talk is how long the call was answered.
func (r CDR) Talk() time.Duration {
	if r.Answered.IsZero() {
		return 0
	}
	return r.Ended.Sub(r.Answered)
}

func (c *call) cdr() CDR {
	r := CDR{CallID: c.id, Tenant: c.tenant, Direction: c.dir, From: c.from, To: c.to, Display: c.display,
		Location: c.location, Queue: c.queue, Agent: c.agent, IVRPath: slices.Clone(c.ivrPath), DTMF: c.dtmf,
		Satisfaction: c.score, Arrived: c.arrived, Queued: c.queuedAt, Answered: c.answered, Ended: c.ended,
		Result: c.result, HangupBy: c.hangupBy, Offers: c.offers, Placed: c.placed, UserData: maps.Clone(c.userData)}
	if r.Agent == "" {
		r.Agent = c.served
	}
	for _, l := range c.legs {
		r.Legs = append(r.Legs, *l)
	}
	return r
}

// openLeg starts a leg record for party.
func (c *call) openLeg(party string, role Role, now time.Time) *LegRecord {
	l := &LegRecord{Party: party, Role: role, Offered: now}
	c.legs = append(c.legs, l)
	return l
}

// leg finds the newest open leg of party.
func (c *call) leg(party string) *LegRecord {
	for i := len(c.legs) - 1; i >= 0; i-- {
		if c.legs[i].Party == party && c.legs[i].Ended.IsZero() {
			return c.legs[i]
		}
	}
	return nil
}

// closeLeg ends party's open leg.
func (c *call) closeLeg(party, reason string, now time.Time) {
	if l := c.leg(party); l != nil {
		l.Ended, l.EndReason = now, reason
	}
}
