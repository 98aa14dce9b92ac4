package io.pointbridge.bench.seed;

import static io.pointbridge.bench.seed.World.DAY;
import static io.pointbridge.bench.seed.World.HOUR;
import static io.pointbridge.bench.seed.World.MINUTE;
import static io.pointbridge.bench.seed.World.YEAR;

import io.pointbridge.bench.seed.Ids.Kind;
import io.pointbridge.bench.seed.World.SystemAccount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Plays one person's history in the ledger, the same way on every pass: for each membership, purchases that earn
 * points (each a lot expiring a year later), rewards that spend them first-to-expire first, expiry of what was not
 * spent, conversions to the person's other memberships, and for sampled members a first adjustment that gives
 * them points to spend during the benchmark. Every entry balances and every lot's points are accounted for by its
 * movements, by construction; {@link Invariants} checks it on the database afterwards.
 *
 * <p>Times: a member's entries fall between enrolment and now, more of them recent. Dormant members stopped coming
 * more than a year ago, so the points they still hold have expired and wait for the expiry job: the backlog the
 * expiry benchmark works through. Active members came in the last month.
 */
final class Histories {

    private static final long TOP_UP = 200_000;
    private static final double EARN_SHARE = 0.68;
    /** Lots each remaining event is reckoned to add, net, when a reward decides how many lots to empty. */
    private static final double LOTS_PER_EVENT = 0.75;
    private static final long LAST_MONTH = 30 * DAY;

    private final World world;

    Histories(World world) {
        this.world = world;
    }

    /** What one person's history wrote, in every table; entries in time order. */
    static final class History {
        final int person;
        final UUID personId;
        final UUID tenantId;
        long createdAt = Long.MAX_VALUE;
        final List<Member> members = new ArrayList<>(3);
        final List<Entry> entries = new ArrayList<>();
        final List<Lot> lots = new ArrayList<>();
        final List<Movement> movements = new ArrayList<>();
        final List<Purchase> purchases = new ArrayList<>();
        final List<Transfer> transfers = new ArrayList<>();

        History(int person, UUID personId, UUID tenantId) {
            this.person = person;
            this.personId = personId;
            this.tenantId = tenantId;
        }
    }

    record Member(int index, UUID id, int program, String externalId, long enrolledAt, UUID walletId, long balance) {
    }

    record Posting(UUID account, int program, long amount) {
    }

    record Entry(UUID id, String kind, String reference, String memo, String actor, long at, Posting[] postings) {
    }

    record Movement(UUID entry, UUID lot, long amount) {
    }

    /** A lot as it ends up: {@code remaining} is what the history left in it. */
    static final class Lot {
        final UUID id;
        final UUID account;
        final UUID entry;
        final long earnedAt;
        final long expiresAt;
        final long original;
        long remaining;

        Lot(UUID id, UUID account, UUID entry, long earnedAt, long expiresAt, long original) {
            this.id = id;
            this.account = account;
            this.entry = entry;
            this.earnedAt = earnedAt;
            this.expiresAt = expiresAt;
            this.original = original;
            this.remaining = original;
        }

        boolean expires() {
            return expiresAt != Long.MIN_VALUE;
        }
    }

    record Purchase(UUID id, UUID membershipId, int program, String orderId, long amountMinor, long points, UUID entry,
            long at) {
    }

    record Transfer(UUID id, UUID quoteId, UUID entry, int sourceMember, int targetMember, int sourceProgram,
            int targetProgram, long points, long fee, long credited, long at) {
    }

    /** When a membership's entries happen, drawn before any of the person's memberships plays its history. */
    private record Timeline(SplittableRandom rng, long enrolledAt, long[] times) {
    }

    History of(int person) {
        int first = world.personFirst[person];
        int count = world.personFirst[person + 1] - first;
        var history = new History(person, world.personId(person), world.tenantId(world.tenantOf(person)));
        var timelines = new Timeline[count];
        for (int j = 0; j < count; j++) {
            timelines[j] = timeline(first + j);
            history.createdAt = Math.min(history.createdAt, timelines[j].enrolledAt());
        }
        var play = new Play(history, first, timelines);
        for (int j = 0; j < count; j++) {
            play.membership(j);
        }
        for (int j = 0; j < count; j++) {
            int m = first + j;
            history.members.add(new Member(m, world.membershipId(m), world.memberProgram[m], world.externalId(m),
                timelines[j].enrolledAt(), world.walletId(m), play.balances[j]));
        }
        history.entries.sort(Comparator.comparingLong(Entry::at));
        return history;
    }

    private Timeline timeline(int m) {
        var rng = new SplittableRandom(Ids.mix(world.plan.seed() ^ Ids.mix(world.memberBase + m + 0x7157L)));
        int n = world.memberEntries[m];
        long start;
        long end;
        if (world.dormant(m)) {
            end = world.now - YEAR - DAY - (long) (rng.nextDouble() * YEAR);
            start = end - HOUR - (long) (Math.pow(rng.nextDouble(), 1.5) * 2 * YEAR);
        } else {
            start = world.now - DAY - (long) (Math.pow(rng.nextDouble(), 1.3) * 3 * YEAR);
            end = world.now - MINUTE;
        }
        var times = new long[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            times[i] = end - (long) ((end - start) * u * u);
        }
        Arrays.sort(times);
        if (n > 0 && !world.dormant(m)) {
            times[n - 1] = Math.max(times[n - 1], world.now - MINUTE - (long) (rng.nextDouble() * LAST_MONTH));
        }
        long enrolledAt = start - (long) (rng.nextDouble() * DAY);
        return new Timeline(rng, enrolledAt, times);
    }

    /** One person's memberships playing their histories in turn; conversions reach later memberships. */
    private final class Play {

        private final History history;
        private final int first;
        private final Timeline[] timelines;
        final long[] balances;
        /** Lots conversions made in each membership, by earlier memberships, in time order. */
        private final List<List<Lot>> incoming = new ArrayList<>();

        Play(History history, int first, Timeline[] timelines) {
            this.history = history;
            this.first = first;
            this.timelines = timelines;
            this.balances = new long[timelines.length];
            for (int j = 0; j < timelines.length; j++) {
                incoming.add(new ArrayList<>());
            }
        }

        void membership(int j) {
            int m = first + j;
            var timeline = timelines[j];
            var rng = timeline.rng();
            long[] times = timeline.times();
            int program = world.memberProgram[m];
            var wallet = world.walletId(m);
            var expiring = new ArrayList<Lot>();
            var lasting = new ArrayList<Lot>();
            var arriving = incoming.get(j);
            arriving.sort(Comparator.comparingLong(lot -> lot.earnedAt));
            int arrived = 0;
            int target = world.memberOpenLots[m];
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < times.length; i++) {
                long at = Math.max(times[i], previous + 1);
                while (arrived < arriving.size() && arriving.get(arrived).earnedAt <= at) {
                    expiring.add(arriving.get(arrived++));
                }
                int left = times.length - i;
                if (i == 0 && world.toppedUp(m)) {
                    topUp(j, m, i, program, wallet, at, rng, lasting);
                } else if (!expiring.isEmpty() && expiring.getFirst().expiresAt <= at) {
                    at = expire(j, m, i, program, wallet, Math.max(previous + 1, expiring.getFirst().expiresAt), at,
                        rng, expiring);
                } else {
                    event(j, m, i, program, wallet, at, rng, expiring, lasting, target, left);
                }
                previous = at;
            }
        }

        /**
         * An ordinary event: a purchase or a reward, about two to one, or now and then a conversion to a later
         * membership; steered so that the wallet ends with about its share of open lots (a reward empties more lots
         * the more the wallet holds beyond what it will keep, counting the lots later purchases will add).
         */
        private void event(int j, int m, int i, int program, UUID wallet, long at, SplittableRandom rng,
                List<Lot> expiring, List<Lot> lasting, int target, int left) {
            int open = expiring.size() + lasting.size();
            int sibling = transferTarget(j, at, rng);
            if (open == 0 || target - open >= left) {
                earn(j, m, i, program, wallet, at, rng, expiring);
                return;
            }
            if (sibling >= 0 && left > 1 && convertible(expiring, lasting) >= World.MINIMUM_CONVERSION
                    && convert(j, sibling, i, at, rng, expiring, lasting)) {
                return;
            }
            boolean earns = left == 1 ? open < target : rng.nextDouble() < EARN_SHARE;
            if (earns || !spend(j, m, i, program, wallet, at, rng, expiring, lasting,
                    open - target + (int) Math.round(LOTS_PER_EVENT * (left - 1)))) {
                earn(j, m, i, program, wallet, at, rng, expiring);
            }
        }

        /** A later membership of the person to convert to now, or -1: more likely in the last month. */
        private int transferTarget(int j, long at, SplittableRandom rng) {
            int count = timelines.length;
            if (j == count - 1 || world.dormant(first + j) || at < world.now - World.RATES_SINCE + DAY) {
                return -1;
            }
            double chance = at >= world.now - LAST_MONTH ? 0.25 : 0.03;
            if (rng.nextDouble() >= chance) {
                return -1;
            }
            int k = j + 1 + rng.nextInt(count - j - 1);
            return world.dormant(first + k) || timelines[k].enrolledAt() >= at ? -1 : k;
        }

        private void earn(int j, int m, int i, int program, UUID wallet, long at, SplittableRandom rng,
                List<Lot> expiring) {
            long amount = Math.clamp(Math.round(Math.exp(Math.log(2500) + 0.9 * rng.nextGaussian())), 100, 1_000_000);
            long points = Math.max(1, amount * World.EARN_POINTS / World.EARN_PER_MINOR);
            var entry = world.eventId(Kind.ENTRY, m, i);
            var order = world.reference("ord", m, i);
            history.entries.add(new Entry(entry, "EARN", order, "purchase", world.integration(program), at, new Posting[] {
                new Posting(world.systemAccount(program, SystemAccount.ISSUANCE), program, -points),
                new Posting(wallet, program, points)}));
            var lot = newLot(world.eventId(Kind.LOT, m, i), wallet, entry, at, World.expiry(at), points);
            expiring.add(lot);
            history.purchases.add(new Purchase(world.eventId(Kind.PURCHASE, m, i), world.membershipId(m), program, order,
                amount, points, entry, at));
            balances[j] += points;
        }

        private void topUp(int j, int m, int i, int program, UUID wallet, long at, SplittableRandom rng,
                List<Lot> lasting) {
            long points = TOP_UP + rng.nextInt(50_000);
            var entry = world.eventId(Kind.ENTRY, m, i);
            history.entries.add(new Entry(entry, "ADJUSTMENT", null, "benchmark: points to spend and convert",
                World.SEEDER, at, new Posting[] {
                    new Posting(world.systemAccount(program, SystemAccount.ADJUSTMENT), program, -points),
                    new Posting(wallet, program, points)}));
            lasting.add(newLot(world.eventId(Kind.LOT, m, i), wallet, entry, at, Long.MIN_VALUE, points));
            balances[j] += points;
        }

        /**
         * The expiry job's entry for the wallet: everything expired by a moment within an hour of the first lot's
         * expiry (and not after the event that found it) goes to breakage. Returns when it happened.
         */
        private long expire(int j, int m, int i, int program, UUID wallet, long firstExpiry, long latest,
                SplittableRandom rng, List<Lot> expiring) {
            long at = Math.min(latest, firstExpiry + (long) (rng.nextDouble() * HOUR));
            var entry = world.eventId(Kind.ENTRY, m, i);
            long points = 0;
            while (!expiring.isEmpty() && expiring.getFirst().expiresAt <= at) {
                var lot = expiring.removeFirst();
                history.movements.add(new Movement(entry, lot.id, -lot.remaining));
                points += lot.remaining;
                lot.remaining = 0;
            }
            history.entries.add(new Entry(entry, "EXPIRY", null, "points expired", "system:points-jobs", at,
                new Posting[] {
                    new Posting(wallet, program, -points),
                    new Posting(world.systemAccount(program, SystemAccount.BREAKAGE), program, points)}));
            balances[j] -= points;
            return at;
        }

        /**
         * A reward: empties {@code close} whole lots first-to-expire first, and maybe part of the next; with none to
         * close, part of the first. Never the points given for the benchmark, which stay to be spent by it. Returns
         * false if there was nothing it could take.
         */
        private boolean spend(int j, int m, int i, int program, UUID wallet, long at, SplittableRandom rng,
                List<Lot> expiring, List<Lot> lasting, int close) {
            int closing = Math.clamp(close, 0, expiring.size());
            long points = 0;
            for (int l = 0; l < closing; l++) {
                points += expiring.get(l).remaining;
            }
            if (closing < expiring.size() && expiring.get(closing).remaining >= 2 && (closing == 0 || rng.nextBoolean())) {
                points += 1 + rng.nextLong(Math.min(expiring.get(closing).remaining - 1, 2_000));
            } else if (closing == 0 && expiring.isEmpty() && !lasting.isEmpty() && lasting.getFirst().remaining > TOP_UP / 2) {
                points += 1 + rng.nextLong(2_000);
            }
            if (points == 0) {
                return false;
            }
            var entry = world.eventId(Kind.ENTRY, m, i);
            consume(entry, points, expiring, lasting);
            history.entries.add(new Entry(entry, "SPEND", world.reference("reward", m, i), "reward", world
                .integration(program), at, new Posting[] {
                    new Posting(wallet, program, -points),
                    new Posting(world.systemAccount(program, SystemAccount.REDEMPTION), program, points)}));
            balances[j] -= points;
            return true;
        }

        /** A conversion to the person's membership {@code k}; false if the rate would credit nothing. */
        private boolean convert(int j, int k, int i, long at, SplittableRandom rng, List<Lot> expiring,
                List<Lot> lasting) {
            int m = first + j;
            int target = first + k;
            int sourceProgram = world.memberProgram[m];
            int targetProgram = world.memberProgram[target];
            long available = convertible(expiring, lasting) / World.CONVERSION_STEP * World.CONVERSION_STEP;
            long points = Math.min(available, World.MINIMUM_CONVERSION + World.CONVERSION_STEP * rng.nextInt(191));
            long fee = World.fee(points);
            long credited = world.credited(sourceProgram, targetProgram, points);
            if (credited <= 0) {
                return false;
            }
            var entry = world.eventId(Kind.ENTRY, m, i);
            consume(entry, points, expiring, lasting);
            var postings = new ArrayList<Posting>(5);
            postings.add(new Posting(world.walletId(m), sourceProgram, -points));
            postings.add(new Posting(world.systemAccount(sourceProgram, SystemAccount.EXCHANGE_CLEARING), sourceProgram,
                points - fee));
            if (fee > 0) {
                postings.add(new Posting(world.systemAccount(sourceProgram, SystemAccount.EXCHANGE_FEE), sourceProgram,
                    fee));
            }
            postings.add(new Posting(world.systemAccount(targetProgram, SystemAccount.EXCHANGE_CLEARING), targetProgram,
                -credited));
            postings.add(new Posting(world.walletId(target), targetProgram, credited));
            var transfer = world.eventId(Kind.TRANSFER, m, i);
            history.entries.add(new Entry(entry, "TRANSFER", transfer.toString(), "points exchange",
                world.integration(sourceProgram), at, postings.toArray(Posting[]::new)));
            var lot = newLot(world.eventId(Kind.LOT, m, i), world.walletId(target), entry, at, World.expiry(at), credited);
            incoming.get(k).add(lot);
            history.transfers.add(new Transfer(transfer, world.eventId(Kind.QUOTE, m, i), entry, m, target, sourceProgram,
                targetProgram, points, fee, credited, at));
            balances[j] -= points;
            balances[k] += credited;
            return true;
        }

        private long convertible(List<Lot> expiring, List<Lot> lasting) {
            long sum = 0;
            for (var lot : expiring) {
                sum += lot.remaining;
            }
            for (var lot : lasting) {
                sum += lot.remaining;
            }
            return sum;
        }

        /** Takes points first-to-expire first (lots that never expire last), recording each lot's share. */
        private void consume(UUID entry, long points, List<Lot> expiring, List<Lot> lasting) {
            long left = points;
            left = consume(entry, left, expiring);
            left = consume(entry, left, lasting);
            if (left != 0) {
                throw new IllegalStateException("a debit took more than the wallet held");
            }
        }

        private long consume(UUID entry, long points, List<Lot> lots) {
            long left = points;
            while (left > 0 && !lots.isEmpty()) {
                var lot = lots.getFirst();
                long take = Math.min(left, lot.remaining);
                lot.remaining -= take;
                left -= take;
                history.movements.add(new Movement(entry, lot.id, -take));
                if (lot.remaining == 0) {
                    lots.removeFirst();
                }
            }
            return left;
        }

        private Lot newLot(UUID id, UUID wallet, UUID entry, long at, long expiresAt, long points) {
            var lot = new Lot(id, wallet, entry, at, expiresAt, points);
            history.lots.add(lot);
            history.movements.add(new Movement(entry, id, points));
            return lot;
        }
    }
}
