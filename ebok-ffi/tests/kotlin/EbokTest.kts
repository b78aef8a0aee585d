// Kotlin tests of the ebok mobile bindings, run on the JVM by scripts/test-kotlin:
// the generated bindings (compiled into a jar), JNA and the cdylib. Fixtures are the worked
// examples of the domain reference (§9) and the security test plan (§5).
import pl.ebok.*
import java.io.File
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate

var passed = 0
val failures = mutableListOf<String>()

fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
        println("ok   $name")
    } catch (e: Throwable) {
        failures += "$name: $e"
        println("FAIL $name: $e")
    }
}

fun check(cond: Boolean, what: () -> String) {
    if (!cond) throw AssertionError(what())
}

// BigDecimal.equals is scale-sensitive; money compares with compareTo.
fun eqMoney(actual: BigDecimal, expected: String) =
    check(actual.compareTo(BigDecimal(expected)) == 0) { "expected $expected, got $actual" }

inline fun <reified T : Throwable> assertThrows(body: () -> Unit): T {
    try {
        body()
    } catch (e: Throwable) {
        if (e is T) return e
        throw AssertionError("expected ${T::class.simpleName}, got $e")
    }
    throw AssertionError("expected ${T::class.simpleName}, nothing was thrown")
}

fun d(s: String): LocalDate = LocalDate.parse(s)

// ---------------------------------------------------------------- settlement (§9.2, §9.3)

test("version") { check(ebokVersion().isNotEmpty()) { "empty version" } }

test("terms of use in Polish and English") {
    val pl = termsOfUse(Language.POLISH)
    val en = termsOfUse(Language.ENGLISH)
    check(pl.size == en.size && pl.size >= 7) { "${pl.size} / ${en.size}" }
    check(pl.any { it.contains("nie zna hasła") } && en.any { it.contains("third parties") }) { "$pl" }
}

test("due dates move past weekends and holidays (KC art. 115, §9.3)") {
    val table = listOf(
        "2025-05-10" to "2025-05-12", "2026-01-10" to "2026-01-12", "2024-11-10" to "2024-11-12",
        "2025-12-24" to "2025-12-29", "2024-12-24" to "2024-12-24", "2026-05-03" to "2026-05-04",
    )
    for ((nominal, effective) in table) {
        check(effectiveDueDate(d(nominal)) == d(effective)) { "$nominal -> ${effectiveDueDate(d(nominal))}" }
    }
}

test("holidays by statute: the one-off 12 November 2018; before 1990 refused") {
    check(effectiveDueDate(d("2018-11-10")) == d("2018-11-13")) { "${effectiveDueDate(d("2018-11-10"))}" }
    assertThrows<EbokException.InvalidInput> { effectiveDueDate(d("1985-07-22")) }
}

test("interest before 2016 at the statutory rate, never 0 %; a day without a rate is refused") {
    val i = lateInterest(BigDecimal("1000.00"), d("2015-12-10"), d("2016-01-31"), false)
    eqMoney(i.total, "10.55")
    check(i.segments.map { BigDecimal(it.ratePercent).toPlainString() } == listOf("8", "7")) { "${i.segments}" }
    val e = assertThrows<EbokException.InvalidInput> { lateInterest(BigDecimal("100"), d("1993-04-01"), d("1993-06-01"), false) }
    check(e.reason.contains("1993-04-02")) { e.reason }
    // A BigDecimal of scale 3 is an exact amount, not ambiguous text.
    eqMoney(lateInterest(BigDecimal("1000.000"), d("2025-04-10"), d("2025-07-15"), false).total, "28.55")
}

test("late interest, the worked examples (§9.2)") {
    eqMoney(lateInterest(BigDecimal("500.00"), d("2025-01-10"), d("2025-03-20"), false).total, "10.63")
    val i = lateInterest(BigDecimal("1000.00"), d("2025-04-10"), d("2025-07-15"), false)
    eqMoney(i.total, "28.55")
    check(i.days == 96) { "days ${i.days}" }
    check(i.segments.map { it.days } == listOf(27, 56, 13)) { "segments ${i.segments}" }
    check(i.segments.map { BigDecimal(it.ratePercent) }.zip(listOf("11.25", "10.75", "10.50"))
        .all { (a, b) -> a.compareTo(BigDecimal(b)) == 0 }) { "rates ${i.segments}" }
    eqMoney(lateInterest(BigDecimal("450.00"), d("2022-06-10"), d("2022-09-30"), false).total, "16.47")
    eqMoney(lateInterest(BigDecimal("300.00"), d("2024-01-10"), d("2024-03-11"), false).total, "5.64")
    eqMoney(lateInterest(BigDecimal("300.00"), d("2024-01-10"), d("2024-03-11"), true).total, "5.63")
    val shifted = effectiveDueDate(d("2025-05-10"))
    eqMoney(lateInterest(BigDecimal("500.00"), shifted, d("2025-05-13"), false).total, "0.15")
    eqMoney(lateInterest(BigDecimal("500.00"), shifted, d("2025-05-12"), false).total, "0.00")
}

test("money with more than 2 decimal places is refused at the boundary, as a typed error") {
    val e = assertThrows<EbokException.InvalidInput> {
        lateInterest(BigDecimal("500.005"), d("2025-01-10"), d("2025-03-20"), false)
    }
    check(e.field == "money" && e.value == "500.005") { "$e" }
    assertThrows<EbokException.InvalidInput> {
        lateInterest(BigDecimal("-1.00"), d("2025-01-10"), d("2025-03-20"), false)
    }
}

// ---------------------------------------------------------------- the premises account

fun charge(id: String, amount: String, month: String, component: String = "eksploatacja") = EntryInput(
    id = id, premises = "1", kind = EntryKind.CHARGE, amount = BigDecimal(amount),
    operationDate = d("$month-01"), component = component, postedOn = d("$month-01"),
    dueDate = d("$month-10"), document = "NAL $month",
)

fun payment(id: String, amount: String, credited: String, posted: String?) = EntryInput(
    id = id, premises = "1", kind = EntryKind.PAYMENT, amount = BigDecimal(amount),
    operationDate = d(credited), component = null, postedOn = posted?.let(::d), dueDate = null, document = null,
)

fun portalWithFlat(): Portal {
    val p = Portal("SM Testowa")
    p.addPremises(PremisesInput(id = "1", kind = PremisesKind.FLAT, usableArea = BigDecimal("48.60"), address = "ul. Próbna 1 m. 1"))
    p.linkLogin("0756555", "1")
    return p
}

test("arrears and interest in the resident view (§9.2: 500.00 due 2025-01-10, 10.63 on 2025-03-20)") {
    portalWithFlat().use { p ->
        p.postEntries(listOf(charge("N1", "500.00", "2025-01")))
        val v = p.residentView("0756555", "1", d("2025-03-20"), null, 12, Language.POLISH)
        eqMoney(v.balance.amount, "500.00")
        check(v.balance.state == BalanceState.OWED && v.balance.text == "zaległość 500,00 zł") { "${v.balance}" }
        eqMoney(v.arrears.arrears, "500.00")
        eqMoney(v.arrears.interestTotal, "10.63")
        check(v.arrears.oldestOverdue == d("2025-01-10")) { "${v.arrears.oldestOverdue}" }
        val item = v.arrears.items.single()
        check(item.overdueSince == d("2025-01-11") && item.daysOverdue == 69) { "$item" }
        eqMoney(item.interest, "10.63")
        check(v.statements.size == 12 && v.statements.last().month == "2025-03") { "${v.statements.map { it.month }}" }
        check(v.notice.isNotEmpty() && v.premises.kindPl == "mieszkanie") { "${v.premises}" }
    }
}

test("art. 451 allocation, principal only (§9.4 A variant: Feb outstanding 400.00)") {
    portalWithFlat().use { p ->
        p.postEntries(listOf(charge("N1", "500.00", "2025-01"), charge("N2", "500.00", "2025-02"),
            payment("W1", "600.00", "2025-03-20", "2025-03-20")))
        val v = p.residentView("0756555", "1", d("2025-03-20"), null, 3, Language.ENGLISH)
        eqMoney(v.balance.amount, "400.00")
        val open = v.arrears.items.associateBy { it.id }
        check(open.keys == setOf("N2")) { "open items ${open.keys}" }
        eqMoney(open.getValue("N2").outstanding, "400.00")
        val march = v.statements.last()
        eqMoney(march.payments, "600.00")
        eqMoney(march.opening, "1000.00")
        eqMoney(march.closing, "400.00")
        check(v.payments.map { it.id } == listOf("W1")) { "${v.payments}" }
        // The account lines carry the running balance.
        check(v.accountLines.map { it.runningBalance.toPlainString() }.last().let { BigDecimal(it).compareTo(BigDecimal("400")) == 0 }) {
            "${v.accountLines}"
        }
    }
}

test("posting lag: a payment not yet posted is pending, not in the balance, and the note says so") {
    portalWithFlat().use { p ->
        p.postEntries(listOf(charge("N1", "772.15", "2025-05"), payment("W1", "772.15", "2025-05-12", null)))
        val v = p.residentView("0756555", "1", d("2025-05-13"), null, 12, Language.POLISH)
        eqMoney(v.balance.amount, "772.15")
        check(v.pending.map { it.id } == listOf("W1")) { "${v.pending}" }
        check(v.freshness.pending == 1L) { "${v.freshness}" }
        check(v.freshness.note.contains("Operacje oczekujące na zaksięgowanie: 1")) { v.freshness.note }
        // Once posted, it counts; as known before the posting, it does not.
        p.postEntries(listOf(payment("W2", "10.00", "2025-05-12", "2025-05-14")))
        val later = p.residentView("0756555", "1", d("2025-05-14"), null, 12, Language.POLISH)
        eqMoney(later.balance.amount, "762.15")
        val asKnown = p.residentView("0756555", "1", d("2025-05-14"), d("2025-05-13"), 12, Language.POLISH)
        eqMoney(asKnown.balance.amount, "772.15")
    }
}

test("a batch with bad rows is refused whole: every bad row named, nothing changed") {
    portalWithFlat().use { p ->
        p.postEntries(listOf(charge("N1", "100.00", "2025-01")))
        val e = assertThrows<EbokException.BatchRefused> {
            p.postEntries(listOf(
                charge("N2", "100.00", "2025-02"),
                charge("N3", "100.00", "2025-03").copy(premises = "no such premises!"),
                charge("", "100.00", "2025-04"),
            ))
        }
        check(e.problems.map { it.row } == listOf(1L, 2L)) { "${e.problems}" }
        check(e.problems[0].field == "premises" && e.problems[0].value == "no such premises!") { "${e.problems[0]}" }
        check(e.problems[1].field == "id") { "${e.problems[1]}" }
        val v = p.residentView("0756555", "1", d("2025-05-01"), null, 12, Language.POLISH)
        eqMoney(v.balance.amount, "100.00")
        // The same id with different content is refused too.
        assertThrows<EbokException.BatchRefused> { p.postEntries(listOf(charge("N1", "999.00", "2025-01"))) }
        val again = p.postEntries(listOf(charge("N1", "100.00", "2025-01")))
        check(again.unchanged == 1L && again.inserted == 0L) { "$again" }
    }
}

test("a login sees only its premises; an unknown premises looks the same") {
    portalWithFlat().use { p ->
        p.addPremises(PremisesInput(id = "2", kind = PremisesKind.GARAGE, usableArea = BigDecimal("18"), address = null))
        val other = assertThrows<EbokException.NotFound> { p.residentView("0756555", "2", d("2025-05-01"), null, 12, Language.POLISH) }
        val unknown = assertThrows<EbokException.NotFound> { p.residentView("0756555", "9", d("2025-05-01"), null, 12, Language.POLISH) }
        check(other.what.replace("\"2\"", "X") == unknown.what.replace("\"9\"", "X")) { "${other.what} vs ${unknown.what}" }
        check(p.premisesOfLogin("0756555", d("2025-05-13")).map { it.id } == listOf("1")) { "premises of login" }
        assertThrows<EbokException.InvalidInput> { p.residentView("0756555", "1", d("2025-05-01"), null, 0, Language.POLISH) }
        assertThrows<EbokException.InvalidInput> { p.addPremises(PremisesInput(id = "3", kind = PremisesKind.FLAT, usableArea = BigDecimal("-1"), address = null)) }
    }
}

test("next month's charge booked before the 1st: upcoming, not in today's balance") {
    portalWithFlat().use { p ->
        p.postEntries(listOf(charge("N12", "412.50", "2025-12").copy(postedOn = d("2025-11-25"))))
        val v = p.residentView("0756555", "1", d("2025-11-27"), null, 3, Language.POLISH)
        eqMoney(v.balance.amount, "0.00")
        check(v.upcoming.map { it.id } == listOf("N12") && v.pending.isEmpty()) { "${v.upcoming} ${v.pending}" }
        eqMoney(p.residentView("0756555", "1", d("2025-12-01"), null, 3, Language.POLISH).balance.amount, "412.50")
    }
}

test("pay from the e-BOK: transfer data and the ZBP 2D code with its QR picture") {
    check(formatNrb("PL29114010810000267002001002") == "29 1140 1081 0000 2670 0200 1002") { "format" }
    assertThrows<EbokException.InvalidInput> { formatNrb("PL44102055610000380209739045") }
    val example = "1234567890|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||"
    eqMoney(parsePaymentCode(example, false).amount, "12.00")
    assertThrows<EbokException.InvalidInput> { parsePaymentCode(example, true) }
    val big = paymentCode("29114010810000267002001002", "Spółdzielnia Mieszkaniowa Przykładowa", "CZYNSZ", BigDecimal("12345.67"), null)
    check(big.text == "|PL|29114010810000267002001002|000000|Spółdzielnia Mieszka|CZYNSZ|||" && big.warnings.isNotEmpty()) { "$big" }
    portalWithFlat().use { p ->
        p.postEntries(listOf(charge("N05", "772.15", "2025-05")))
        val t = p.transfer("0756555", "1", d("2025-05-13"), "29114010810000267002001002", "SM Testowa", null)
        eqMoney(t.amount!!, "772.15")
        check(t.code.text == "|PL|29114010810000267002001002|077215|SM Testowa|CZYNSZ 05/2025 1|||") { t.code.text }
        check(t.code.svg.contains("<svg")) { "svg" }
        assertThrows<EbokException.NotFound> { p.transfer("0756999", "1", d("2025-05-13"), "29114010810000267002001002", "SM", null) }
    }
}

// ---------------------------------------------------------------- meters (§9.6)

test("consumption across a meter replacement: 5.120 + 3.441 = 8.561 m³ (§9.6)") {
    portalWithFlat().use { p ->
        p.addMeter(MeterInput(serial = "ZW-1", kind = MeterKind.COLD_WATER, premises = "1", installedOn = d("2024-01-01"),
            initialReading = BigDecimal("200.000"), legalization = "2021", location = "łazienka"))
        p.addReading("ZW-1", d("2024-12-31"), BigDecimal("240.000"), ReadingSource.INSPECTOR)
        p.replaceMeter("ZW-1", d("2025-03-15"), BigDecimal("245.120"), "ZW-2", BigDecimal("0.015"), "M25")
        p.addReading("ZW-2", d("2025-06-30"), BigDecimal("3.456"), ReadingSource.INSPECTOR)
        val c = p.consumption("0756555", "1", MeterKind.COLD_WATER, d("2024-12-31"), d("2025-06-30"))
        check(c.total.compareTo(BigDecimal("8.561")) == 0) { "total ${c.total}" }
        check(c.parts.map { it.serial } == listOf("ZW-1", "ZW-2")) { "${c.parts}" }
        check(c.parts.map { it.amount }.zip(listOf("5.120", "3.441")).all { (a, b) -> a.compareTo(BigDecimal(b)) == 0 }) { "${c.parts}" }
        check(!c.estimated) { "estimated" }
        // Errors: a negative state, an unknown meter, a reversed period (an unknown reading source
        // cannot be written: the source is an enum).
        assertThrows<EbokException.InvalidInput> { p.addReading("ZW-2", d("2025-07-31"), BigDecimal("-4.000"), ReadingSource.INSPECTOR) }
        assertThrows<EbokException.NotFound> { p.replaceMeter("ZW-9", d("2025-07-01"), BigDecimal("1"), "ZW-10", BigDecimal("0"), null) }
        assertThrows<EbokException.InvalidInput> { p.consumption("0756555", "1", MeterKind.COLD_WATER, d("2025-06-30"), d("2024-12-31")) }
        assertThrows<EbokException.InvalidInput> {
            p.addMeter(MeterInput("ZW-1", MeterKind.COLD_WATER, "1", d("2024-01-01"), BigDecimal("1"), null, null))
        }
    }
}

test("legalization: 2021 valid through 2026-12-31, M21 through 2026-11-30 (§9.6)") {
    portalWithFlat().use { p ->
        p.addMeter(MeterInput("ZW-1", MeterKind.COLD_WATER, "1", d("2021-05-01"), BigDecimal("1.000"), "2021", null))
        p.addMeter(MeterInput("CW-1", MeterKind.HOT_WATER, "1", d("2021-05-01"), BigDecimal("1.000"), "M21", null))
        val v = p.residentView("0756555", "1", d("2026-12-01"), null, 1, Language.POLISH)
        val m = v.meters.associateBy { it.serial }
        check(m.getValue("ZW-1").legalizationValidThrough == d("2026-12-31") && !m.getValue("ZW-1").legalizationExpired) { "${m["ZW-1"]}" }
        check(m.getValue("CW-1").legalizationValidThrough == d("2026-11-30") && m.getValue("CW-1").legalizationExpired) { "${m["CW-1"]}" }
    }
}

test("a resident's reading: accepted as typed (8.333 m³ used), refused with Polish reasons") {
    portalWithFlat().use { p ->
        p.addMeter(MeterInput("ZW-1", MeterKind.COLD_WATER, "1", d("2024-01-01"), BigDecimal("100.000"), null, null))
        p.addReading("ZW-1", d("2024-12-31"), BigDecimal("123.456"), ReadingSource.INSPECTOR)
        // 8.333 m³ in January is four times the year's average: the resident confirms it.
        val unusual = p.submitReading("0756555", "1", "ZW-1", d("2025-01-31"), "131,789", d("2025-02-01"), Language.POLISH)
        check(unusual.needsConfirmation && !unusual.accepted) { "$unusual" }
        val ok = p.submitReading("0756555", "1", "ZW-1", d("2025-01-31"), "131,789", d("2025-02-01"), Language.POLISH, true)
        check(ok.accepted && ok.reasons.isEmpty()) { "$ok" }
        val c = p.consumption("0756555", "1", MeterKind.COLD_WATER, d("2024-12-31"), d("2025-01-31"))
        check(c.total.compareTo(BigDecimal("8.333")) == 0) { "consumption ${c.total}" }
        val lower = p.submitReading("0756555", "1", "ZW-1", d("2025-02-28"), "120.000", d("2025-03-01"), Language.POLISH)
        check(!lower.accepted && lower.reasons.isNotEmpty() && lower.messages.size == lower.reasons.size) { "$lower" }
        val tooPrecise = p.submitReading("0756555", "1", "ZW-1", d("2025-02-28"), "12.3456", d("2025-03-01"), Language.POLISH)
        check(!tooPrecise.accepted) { "$tooPrecise" }
        val future = p.submitReading("0756555", "1", "ZW-1", d("2025-03-05"), "140", d("2025-03-01"), Language.ENGLISH)
        check(!future.accepted) { "$future" }
        // A refused reading was not stored; the view's last readings show the accepted one.
        val v = p.residentView("0756555", "1", d("2025-03-01"), null, 3, Language.POLISH)
        check(v.meters.single().lastReadings.first().value.compareTo(BigDecimal("131.789")) == 0) { "${v.meters}" }
        check(v.meters.single().lastReadings.first().source == ReadingSource.SELF_REPORTED) { "${v.meters}" }
        assertThrows<EbokException.NotFound> {
            p.submitReading("0756999", "1", "ZW-1", d("2025-02-28"), "140", d("2025-03-01"), Language.POLISH)
        }
    }
}

test("an impossible reading is refused; an unusual one is stored only when the resident confirms") {
    portalWithFlat().use { p ->
        p.addMeter(MeterInput("ZW-1", MeterKind.COLD_WATER, "1", d("2024-01-01"), BigDecimal("100.000"), null, null))
        p.addReading("ZW-1", d("2024-12-31"), BigDecimal("128.000"), ReadingSource.INSPECTOR)
        val impossible = p.submitReading("0756555", "1", "ZW-1", d("2025-01-31"), "999 999,999", d("2025-02-01"), Language.POLISH)
        check(!impossible.accepted && impossible.reasons == listOf("exceeds_meter_capacity")) { "$impossible" }
        val held = p.submitReading("0756555", "1", "ZW-1", d("2025-01-31"), "160,000", d("2025-02-01"), Language.ENGLISH)
        check(!held.accepted && held.needsConfirmation && held.warnings == listOf("implausible_jump")) { "$held" }
        val v = p.residentView("0756555", "1", d("2025-02-01"), null, 1, Language.POLISH)
        check(v.meters.single().lastReadings.first().value.compareTo(BigDecimal("128")) == 0) { "stored before confirmation" }
        val confirmed = p.submitReading("0756555", "1", "ZW-1", d("2025-01-31"), "160,000", d("2025-02-01"), Language.ENGLISH, true)
        check(confirmed.accepted && !confirmed.needsConfirmation) { "$confirmed" }
    }
}

// ---------------------------------------------------------------- access (security §5)

val now0: Instant = Instant.parse("2026-11-21T09:00:00Z")
fun auth() = Authenticator(AccessSettings(lockoutThreshold = 7, insecureFastHashing = true, seed = 7L))
val goodPassword = "Zielona-Herbata-Poranek-42"

test("first login with the one-time password forces a change; then the new password works") {
    auth().use { a ->
        val created = a.createAccount("0756555", now0, DeliveryChannel.IN_PERSON, false, null, null, "anna.k")
        var acc = created.account!!
        val otp = created.otp!!.expose()
        check(created.effects.any { it is AccessEffect.Deliver }) { "${created.effects}" }
        check(!created.otp.toString().contains(otp)) { "the secret leaks through toString" }
        check(!acc.state.contains(otp) && !acc.toString().contains(otp)) { "the stored state holds the one-time password" }
        check(acc.login == "0756555" && acc.failures == 0 && acc.status == AccountStatus.AWAITING_FIRST_LOGIN) { "$acc" }
        check(a.status(acc, now0) == AccountStatus.AWAITING_FIRST_LOGIN) { a.status(acc, now0).toString() }
        val first = a.login(acc, "0756555", otp, now0.plusSeconds(60))
        check(first.login == LoginResult.MUST_CHANGE_PASSWORD && first.ticket != null) { "$first" }
        acc = first.account ?: acc
        val ticket = first.ticket!!.expose()
        val refused = assertThrows<EbokException.PasswordRefused> { a.setNewPassword(acc, ticket, "krotkie", now0.plusSeconds(90)) }
        check(refused.reasons.any { it.code == "too_short" && it.messagePl.isNotEmpty() }) { "${refused.reasons}" }
        acc = a.setNewPassword(acc, ticket, goodPassword, now0.plusSeconds(120)).account!!
        check(a.status(acc, now0.plusSeconds(120)) == AccountStatus.ACTIVE) { "not active" }
        val ok = a.login(acc, "0756555", goodPassword, now0.plusSeconds(180))
        check(ok.login == LoginResult.SUCCESS && ok.messagePl.isNotEmpty()) { "$ok" }
        // The one-time password no longer works.
        check(a.login(ok.account ?: acc, "0756555", otp, now0.plusSeconds(240)).login == LoginResult.FAILURE) { "otp reused" }
    }
}

fun activeAccount(a: Authenticator): StoredAccount {
    val created = a.createAccount("0756555", now0, DeliveryChannel.IN_PERSON, false, null, null, "anna.k")
    val first = a.login(created.account!!, "0756555", created.otp!!.expose(), now0)
    return a.setNewPassword(first.account!!, first.ticket!!.expose(), goodPassword, now0).account!!
}

test("lockout after 7 failed logins; the right password then fails too; a new one-time password unlocks") {
    auth().use { a ->
        var acc = activeAccount(a)
        for (i in 1..6) {
            acc = a.login(acc, "0756555", "wrong-password-$i", now0.plusSeconds(i * 10L)).account ?: acc
            check(a.status(acc, now0.plusSeconds(i * 10L)) == AccountStatus.ACTIVE) { "locked after $i" }
        }
        check(a.failures(acc) == 6) { "failures ${a.failures(acc)}" }
        val seventh = a.login(acc, "0756555", "wrong-password-7", now0.plusSeconds(70))
        acc = seventh.account!!
        check(a.status(acc, now0.plusSeconds(70)) == AccountStatus.LOCKED) { "not locked after 7" }
        check(seventh.effects.any { it is AccessEffect.Notify }) { "no notice of the lock: ${seventh.effects}" }
        check(a.login(acc, "0756555", goodPassword, now0.plusSeconds(80)).login == LoginResult.FAILURE) { "locked account logged in" }
        val reissued = a.issueOtp(acc, DeliveryChannel.IN_PERSON, "anna.k", now0.plusSeconds(3600))
        acc = reissued.account!!
        check(a.status(acc, now0.plusSeconds(3600)) == AccountStatus.AWAITING_FIRST_LOGIN) { "not reissued" }
        check(a.login(acc, "0756555", reissued.otp!!.expose(), now0.plusSeconds(3660)).login == LoginResult.MUST_CHANGE_PASSWORD) { "otp after reissue" }
    }
}

test("manual activation at the office, then a password change by a logged-in resident") {
    auth().use { a ->
        val created = a.createAccount("0756555", now0, DeliveryChannel.SMS, true, "+48 600 100 200", null, "anna.k")
        var acc = created.account!!
        check(created.effects.any { it is AccessEffect.Deliver && it.channel == DeliveryChannel.SMS }) { "${created.effects}" }
        check(a.status(acc, now0) == AccountStatus.AWAITING_ACTIVATION) { a.status(acc, now0).toString() }
        check(a.login(acc, "0756555", created.otp!!.expose(), now0).login == LoginResult.FAILURE) { "login before activation" }
        acc = a.activate(acc, "anna.k", now0.plusSeconds(600)).account!!
        check(a.status(acc, now0.plusSeconds(600)) == AccountStatus.AWAITING_FIRST_LOGIN) { "not activated" }
        val first = a.login(acc, "0756555", created.otp!!.expose(), now0.plusSeconds(700))
        acc = a.setNewPassword(first.account!!, first.ticket!!.expose(), goodPassword, now0.plusSeconds(800)).account!!
        val next = "Czerwony-Rower-Nad-Odra-77"
        // A wrong current password is counted like a failed login: the state to store comes back.
        val wrong = a.changePassword(acc, "not-the-current-one", next, now0.plusSeconds(900))
        check(wrong.login == LoginResult.FAILURE && wrong.account != null) { "$wrong" }
        check(a.failures(wrong.account!!) == 1) { "failures ${a.failures(wrong.account!!)}" }
        assertThrows<EbokException.PasswordRefused> { a.changePassword(acc, goodPassword, "12345", now0.plusSeconds(900)) }
        val changed = a.changePassword(acc, goodPassword, next, now0.plusSeconds(900))
        acc = changed.account!!
        check(changed.effects.any { it is AccessEffect.Notify }) { "no notice of the change: ${changed.effects}" }
        check(a.login(acc, "0756555", next, now0.plusSeconds(960)).login == LoginResult.SUCCESS) { "new password" }
        check(a.login(acc, "0756555", goodPassword, now0.plusSeconds(990)).login == LoginResult.FAILURE) { "old password" }
        assertThrows<EbokException.InvalidInput> { a.createAccount("0756556", now0, DeliveryChannel.SMS, false, "not a phone", null, "anna.k") }
    }
}

test("an unknown identifier and a wrong password look the same") {
    auth().use { a ->
        val acc = activeAccount(a)
        val wrong = a.login(acc, "0756555", "not-the-password-1", now0.plusSeconds(5))
        val unknown = a.login(null, "0756000", "not-the-password-1", now0.plusSeconds(5))
        check(wrong.login == LoginResult.FAILURE && unknown.login == LoginResult.FAILURE) { "$wrong / $unknown" }
        check(wrong.messagePl == unknown.messagePl && wrong.messageEn == unknown.messageEn) { "messages differ" }
        check(unknown.account == null) { "an unknown identifier created state" }
    }
}

test("the long calls are suspend functions too: login and import off the caller's thread, same results") {
    kotlinx.coroutines.runBlocking {
        auth().use { a ->
            val created = a.createAccount("0756555", now0, DeliveryChannel.SMS, false, "+48 531 464 544", null, "anna.k")
            val target = (created.effects.first { it is AccessEffect.Deliver } as AccessEffect.Deliver).target
            check(target is DeliveryTarget.Phone && target.number.endsWith("531464544")) { "$target" }
            val audit = created.effects.filterIsInstance<AccessEffect.Audit>().single().event
            check(audit.kind == AuditKind.CREATED && audit.actor == "anna.k") { "$audit" }
            val first = a.loginAsync(created.account!!, "0756555", created.otp!!.expose(), now0.plusSeconds(60))
            check(first.login == LoginResult.MUST_CHANGE_PASSWORD && first.account!!.status == AccountStatus.AWAITING_NEW_PASSWORD) { "$first" }
            val set = a.setNewPasswordAsync(first.account!!, first.ticket!!.expose(), goodPassword, now0.plusSeconds(90))
            val ok = a.loginAsync(set.account!!, "0756555", goodPassword, now0.plusSeconds(120))
            check(ok.login == LoginResult.SUCCESS && ok.account!!.status == AccountStatus.ACTIVE) { "$ok" }
            val unknown = a.loginAsync(null, "0799999", goodPassword, now0.plusSeconds(130))
            check(unknown.login == LoginResult.FAILURE && unknown.account == null) { "$unknown" }
        }
        val dir = File(System.getenv("EBOK_SAMPLE_SNAPSHOT"))
        val files = dir.listFiles()!!.filter { it.isFile }.associate { it.name to it.readBytes() }
        portalFromSnapshotAsync(files).use { p ->
            check(p.premisesOfLogin("0756000", d("2026-11-20")).isNotEmpty()) { "the sample loaded" }
            val again = p.importSnapshotAsync(files)
            check(again.report.kind == SnapshotKind.FULL && again.report.counts.all { it.added == 0L && it.changed == 0L }) { "${again.report}" }
        }
    }
}

test("closing at the owner's request is final and erases data") {
    auth().use { a ->
        val acc = activeAccount(a)
        val closed = a.close(acc, "anna.k", now0.plusSeconds(10))
        check(closed.effects.any { it is AccessEffect.EraseData }) { "${closed.effects}" }
        val tomb = closed.account!!
        check(a.status(tomb, now0.plusSeconds(20)) == AccountStatus.CLOSED) { "not closed" }
        check(a.login(tomb, "0756555", goodPassword, now0.plusSeconds(30)).login == LoginResult.FAILURE) { "closed account logged in" }
        assertThrows<EbokException.AccessRefused> { a.issueOtp(tomb, DeliveryChannel.IN_PERSON, "anna.k", now0.plusSeconds(40)) }
        assertThrows<EbokException.InvalidInput> { a.status(tomb.copy(state = "{not json"), now0) }
        assertThrows<EbokException.InvalidInput> { a.status(tomb.copy(version = tomb.version + 1), now0) }
    }
}

// ---------------------------------------------------------------- a snapshot from the accounting system

val snapshotDir = File(System.getenv("EBOK_SAMPLE_SNAPSHOT") ?: "examples/data/sample-snapshot")
fun snapshotFiles(): Map<String, ByteArray> =
    snapshotDir.listFiles()!!.filter { it.isFile }.associate { it.name to it.readBytes() }

test("the shipped sample snapshot: the view's balance matches the control totals") {
    Portal.fromSnapshot(snapshotFiles()).use { p ->
        val login = File(snapshotDir, "logins.csv").readLines().drop(1).first().split(";")
        val control = File(snapshotDir, "controls.csv").readLines().drop(1)
            .map { it.split(";") }.associate { it[0] to BigDecimal(it[1].replace(",", ".")) }
        val v = p.residentView(login[0], login[1], d("2026-11-21"), null, 12, Language.POLISH)
        check(v.balance.amount.compareTo(control.getValue(login[1])) == 0) { "balance ${v.balance.amount} vs control ${control[login[1]]}" }
        check(v.statements.size == 12 && v.meters.isNotEmpty() && v.water.size == 12) { "view incomplete" }
        check(v.freshness.note.startsWith("Saldo według stanu księgowań")) { v.freshness.note }
        check(p.name().contains("Przykładowa")) { p.name() }
    }
}

test("the same snapshot again changes nothing; a login reaches its premises") {
    Portal.fromSnapshot(snapshotFiles()).use { p ->
        val before = p.residentView("0756000", "0700000", d("2026-11-21"), null, 12, Language.ENGLISH)
        val summary = p.importSnapshot(snapshotFiles())
        check(summary.premises == 40L && summary.entries > 0L) { "$summary" }
        check(summary.currentAsOf == Instant.parse("2026-11-21T17:00:00Z")) { "${summary.currentAsOf}" }
        check(p.residentView("0756000", "0700000", d("2026-11-21"), null, 12, Language.ENGLISH) == before) { "changed" }
        check(p.premisesOfLogin("0756000", d("2026-11-21")).map { it.id }.contains("0700000")) { "premises of login" }
    }
}

test("the nightly incremental snapshot applies onto yesterday's portal, with the core's report") {
    Portal.fromSnapshot(snapshotFiles()).use { p ->
        val before = p.residentView("0756000", "0700000", d("2026-11-22"), null, 1, Language.POLISH).balance.amount
        val manifest = "format = ebok-snapshot\nversion = 1.0\ncooperative = SM Przykładowa w Oławie (dane syntetyczne)\n" +
            "current_as_of = 2026-11-22T18:00:00+01:00\nkind = incremental\n"
        val ledger = "id;premises;kind;amount;operation_date;component;posted_on;due_date;document\r\n" +
            "INC-1;0700000;wpłata;100,00;22.11.2026;;22.11.2026;;WB INC\r\n"
        val summary = p.importSnapshot(mapOf("manifest.txt" to manifest.toByteArray(), "ledger.csv" to ledger.toByteArray()))
        check(summary.report.kind == SnapshotKind.INCREMENTAL) { "${summary.report}" }
        val counts = summary.report.counts.associateBy { it.recordType }
        check(counts.getValue(RecordType.LEDGER).added == 1L && counts.getValue(RecordType.LEDGER).changed == 0L) { "${summary.report.counts}" }
        check(summary.currentAsOf == Instant.parse("2026-11-22T17:00:00Z")) { "${summary.currentAsOf}" }
        val after = p.residentView("0756000", "0700000", d("2026-11-22"), null, 1, Language.POLISH).balance.amount
        eqMoney(before - after, "100.00")
    }
}

test("a corrupted snapshot is refused with every problem listed, and changes nothing") {
    Portal.fromSnapshot(snapshotFiles()).use { p ->
        val files = snapshotFiles().toMutableMap()
        val ledger = String(files.getValue("ledger.csv")).lines().toMutableList()
        ledger[1] = ledger[1].replaceFirst(";charge;", ";gift;")
        ledger[2] = ledger[2].replaceFirst("2024-12-01", "2024-13-01")
        files["ledger.csv"] = ledger.joinToString("\n").toByteArray()
        val e = assertThrows<EbokException.SnapshotRefused> { Portal.fromSnapshot(files) }
        check(e.problems.size >= 2 && e.problems.all { it.file == "ledger.csv" }) { "${e.problems}" }
        check(e.problems.map { it.line }.containsAll(listOf(2L, 3L))) { "${e.problems.map { it.line }}" }
        val before = p.residentView("0756000", "0700000", d("2026-11-21"), null, 12, Language.POLISH)
        assertThrows<EbokException.SnapshotRefused> { p.importSnapshot(files) }
        val after = p.residentView("0756000", "0700000", d("2026-11-21"), null, 12, Language.POLISH)
        check(before == after) { "a refused snapshot changed the view" }
        assertThrows<EbokException.SnapshotRefused> { Portal.fromSnapshot(files - "manifest.txt") }
    }
}

// ---------------------------------------------------------------- bank statements

val bankData = File("ebok-core/tests/data/bank")
val sampleBank = File("examples/data/sample-bank")

test("an ING statement in CP852 reads as Polish, with its dialect and virtual account") {
    val f = readStatement(File(bankData, "own/ing-cp852.sta").readBytes())
    check(f.format == StatementFormat.MT940 && f.encoding == StatementEncoding.CP852 && f.dialect == StatementDialect.ING) { "$f" }
    val entries = f.statements.single().entries
    check(entries[2].rawDetails.contains("Płatność kartą") && entries[2].side == EntrySide.DEBIT) { entries[2].rawDetails }
    eqMoney(entries[0].amount, "500.00")
    check(entries[0].virtualAccount == "53105000997612340000756555") { "${entries[0].virtualAccount}" }
    val forced = readStatement(File(bankData, "own/ing-cp852.sta").readBytes(), encoding = StatementEncoding.CP1250)
    check(forced.encoding == StatementEncoding.CP1250) { "${forced.encoding}" }
    val camt = readStatement(File(bankData, "own/pko-camt053-v08.xml").readBytes())
    check(camt.format == StatementFormat.CAMT053 && camt.dialect == null) { "$camt" }
}

test("a malformed statement is a typed error naming the line or the XML path") {
    val e = assertThrows<EbokException.StatementUnreadable> {
        readStatement(File(bankData, "mt940-special-svenstaro/february_30.sta").readBytes())
    }
    check(e.location == "line 6") { e.location }
    val x = assertThrows<EbokException.StatementUnreadable> {
        readStatement(File(bankData, "camt-genkgo/camt053.v2.wrong.xml").readBytes())
    }
    check(x.location == "Document/BkToCstmrStmt") { x.location }
}

test("a bank credit not yet posted shows in the resident's view, with the projected balance") {
    Portal.fromSnapshot(snapshotFiles()).use { p ->
        val rows = File(sampleBank, "virtual_accounts.csv").readLines().drop(1).filter { it.isNotBlank() }.map {
            val c = it.split(";")
            VirtualAccountInput(c[0], c[1], d(c[2]), null)
        }
        p.setVirtualAccounts(rows)
        val statement = File(sampleBank, "ing-2026-11.sta").readBytes()
        val summary = p.importBankStatement(statement, d("2026-11-21"))
        check(summary.added == 42L && summary.unresolved == 1L && summary.matched == 39L) { "$summary" }
        check(p.importBankStatement(statement, d("2026-11-22")).unchanged == 42L) { "re-import" }
        val v = p.residentView("0756007", "0700001", d("2026-11-21"), null, 3, Language.POLISH)
        val pending = v.bankPending.single()
        eqMoney(pending.amount, "412.50")
        check(pending.note.contains("z 20 listopada 2026 r. — w drodze do księgowości")) { pending.note }
        eqMoney(v.balance.amount - v.projectedBalance!!.amount, "412.50")
        val queue = p.unresolvedPayments()
        check(queue.size == 1 && queue[0].reason.contains("brak rachunku wirtualnego")) { "$queue" }
        eqMoney(queue[0].entry.amount, "150.00")
        assertThrows<EbokException.NotFound> {
            p.setVirtualAccounts(listOf(VirtualAccountInput(rows[0].account, "NO-SUCH", d("2020-01-01"), null)))
        }
    }
}

test("a sale: the buyer's slice starts on the sale date, the seller's access ends, typed records read back offline") {
    Portal.fromSnapshot(snapshotFiles()).use { p ->
        val summary = p.changeHolder("0700000", d("2026-10-15"), listOf(
            HolderInput(login = "0799999", premises = "0700000", role = Role.OWNER, from = d("2026-10-15"), to = null, share = null, scope = null),
        ))
        check(summary.ended == listOf("0756000") && summary.newLogins == listOf("0799999")) { "$summary" }
        check(p.premisesOfLogin("0756000", d("2026-11-20")).none { it.id == "0700000" }) { "seller still holds it" }
        assertThrows<EbokException.NotFound> {
            p.residentView("0756000", "0700000", d("2026-11-20"), null, 3, Language.POLISH)
        }
        val slice = p.residentSlice("0799999", d("2026-11-20"), null, 12, Language.POLISH)
        val mine = slice.premises.single()
        check(mine.relations.single().role == Role.OWNER && mine.relations.single().from == d("2026-10-15")) { "${mine.relations}" }
        check(Capability.SUBMIT_READING in mine.relations.single().capabilities) { "${mine.relations}" }
        val view = mine.view!!
        check(view.accountLines.isNotEmpty() && view.accountLines.all { it.entry.operationDate >= d("2026-10-15") }) { "${view.accountLines.map { it.entry.operationDate }}" }
        // Read back offline, from the host's JSON and CBOR, into the same typed records.
        val json = p.residentSliceJson("0799999", d("2026-11-20"), null, 12)
        val cbor = p.residentSliceCbor("0799999", d("2026-11-20"), null, 12)
        check(cbor.size < json.length) { "cbor ${cbor.size} >= json ${json.length}" }
        check(readResidentSliceJson(json, Language.POLISH) == slice) { "json round trip" }
        check(readResidentSliceCbor(cbor, Language.POLISH) == slice) { "cbor round trip" }
        assertThrows<EbokException.InvalidInput> { readResidentSliceJson("{}", Language.POLISH) }
    }
}

test("a proxy sees only its scope and only until its end") {
    Portal.fromSnapshot(snapshotFiles()).use { p ->
        p.addHolder(HolderInput(login = "0788888", premises = "0700000", role = Role.PROXY, from = d("2026-11-01"),
            to = d("2027-05-01"), share = null, scope = listOf(Capability.VIEW_ACCOUNT, Capability.PAY)))
        val rel = p.relations("0788888", "0700000").single()
        check(rel.capabilities == listOf(Capability.VIEW_ACCOUNT, Capability.PAY)) { "$rel" }
        val slice = p.residentSlice("0788888", d("2026-11-20"), null, 12, Language.ENGLISH).premises.single()
        check(slice.view != null && slice.meters.isEmpty() && slice.documents.isEmpty()) { "$slice" }
        assertThrows<EbokException.NotFound> {
            p.submitReading("0788888", "0700000", "ZW-0300000", d("2026-11-20"), "1,000", d("2026-11-20"), Language.POLISH, false)
        }
        check(p.residentSlice("0788888", d("2027-05-01"), null, 12, Language.ENGLISH).premises.isEmpty()) { "after the end" }
        assertThrows<EbokException.InvalidInput> {
            p.addHolder(HolderInput(login = "0788889", premises = "0700000", role = Role.PROXY, from = d("2026-11-01"),
                to = null, share = null, scope = listOf(Capability.PAY)))
        }
    }
}

println("\n$passed passed, ${failures.size} failed")
if (failures.isNotEmpty()) {
    failures.forEach { println("  $it") }
    kotlin.system.exitProcess(1)
}
