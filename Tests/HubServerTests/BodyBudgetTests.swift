import HubServer
import Testing

@Suite("Body budget")
struct BodyBudgetTests {
    @Test("requests are charged their size, clamped to at least 1 byte and at most the whole budget")
    func charge() {
        let ledger = BodyBudgetLedger(capacity: 64)
        #expect(ledger.charge(0) == 1)
        #expect(ledger.charge(8) == 8)
        #expect(ledger.charge(100) == 64)
    }

    @Test("grants while the charges fit, then lines up; bytes given back let the head of the line go, in order")
    func fifo() {
        var ledger = BodyBudgetLedger(capacity: 64)
        for _ in 0..<8 {
            let granted = ledger.tryAcquire(8)
            #expect(granted)
        }
        let r1 = ledger.tryAcquire(8)
        #expect(!r1)
        ledger.enqueue(id: 1, bytes: 16)
        ledger.enqueue(id: 2, bytes: 8)
        let r2 = ledger.release(8)
        #expect(r2 == [], "the 16-byte head does not fit in 8 free bytes, and the 8-byte one does not overtake it")
        let r3 = ledger.tryAcquire(1)
        #expect(!r3, "nobody overtakes a waiting line")
        let r4 = ledger.release(8)
        #expect(r4 == [1])
        let r5 = ledger.takeGrant(1)
        #expect(r5)
        let r6 = ledger.takeGrant(1)
        #expect(!r6, "a grant is picked up once")
        let r7 = ledger.release(8)
        #expect(r7 == [2])
        #expect(ledger.used == 64)
    }

    @Test("a body larger than the whole budget goes through alone once nothing else runs")
    func oversize() {
        var ledger = BodyBudgetLedger(capacity: 64)
        let r8 = ledger.tryAcquire(100)
        #expect(r8)
        let r9 = ledger.tryAcquire(1)
        #expect(!r9)
        _ = ledger.release(100)
        #expect(ledger.used == 0)
        let r10 = ledger.tryAcquire(8)
        #expect(r10)
        ledger.enqueue(id: 7, bytes: 100)
        let r11 = ledger.release(8)
        #expect(r11 == [7])
    }

    @Test("a waiter withdrawn (time up) leaves the line, and those it held back go")
    func withdraw() {
        var ledger = BodyBudgetLedger(capacity: 64)
        let r12 = ledger.tryAcquire(32)
        #expect(r12)
        ledger.enqueue(id: 1, bytes: 64)
        ledger.enqueue(id: 2, bytes: 16)
        let r13 = ledger.cancel(1)
        #expect(r13 == [2])
        let r14 = ledger.cancel(1)
        #expect(r14 == nil, "already gone")
        let r15 = ledger.cancel(2)
        #expect(r15 == nil, "already granted: the grant stands")
        #expect(ledger.used == 48)
    }

    @Test("the budget answers false after its wait when used up, and a waiter goes as soon as bytes come back")
    func waits() async {
        let budget = BodyBudget(capacity: 10, maxWait: .milliseconds(100))
        #expect(await budget.acquire(10))
        #expect(await !budget.acquire(1))
        async let waiter = budget.acquire(5)
        try? await Task.sleep(for: .milliseconds(20))
        budget.release(10)
        #expect(await waiter)
        #expect(budget.used == 5)
        budget.release(5)
        #expect(budget.used == 0)
    }
}
