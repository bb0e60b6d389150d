import { expect } from "chai";
import { ErrorCode, InternalizerError } from "../../../solver/errors.js";
import { Store, WRITE_BEHIND_MS } from "../../../solver/store/db.js";

describe("Store group commit", () => {
  const count = (store: Store) => (store.prepare("SELECT COUNT(*) AS n FROM meta").get() as { n: number }).n;

  it("commits every write queued in one turn, in one transaction, and resolves each", async () => {
    const store = new Store(":memory:");
    let commits = 0;
    const exec = store.db.exec.bind(store.db);
    store.db.exec = (sql: string) => {
      if (sql === "COMMIT") commits++;
      return exec(sql);
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.commitSoon(() => store.setMeta(`k${i}`, String(i)))));
    expect(count(store)).to.equal(50);
    expect(commits).to.equal(1);
    expect(store.meta("k49")).to.equal("49");
  });

  it("rolls back a failing write alone and rejects only its promise with STORE_FAILED", async () => {
    const store = new Store(":memory:");
    const results = await Promise.allSettled([
      store.commitSoon(() => store.setMeta("a", "1")),
      store.commitSoon(() => {
        store.setMeta("half", "written");
        store.prepare("INSERT INTO no_such_table VALUES (1)").run();
      }),
      store.commitSoon(() => store.setMeta("b", "2")),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "rejected", "fulfilled"]);
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(reason).to.be.instanceOf(InternalizerError);
    expect((reason as InternalizerError).code).to.equal(ErrorCode.StoreFailed);
    expect(store.meta("half")).to.equal(undefined);
    expect([store.meta("a"), store.meta("b")]).to.deep.equal(["1", "2"]);
  });

  it("writes behind: commits within a few ms, or before any transaction or flush that comes first", async () => {
    const store = new Store(":memory:");
    store.writeBehind(
      () => store.setMeta("a", "1"),
      () => {},
    );
    expect(store.db.isTransaction).to.equal(false);
    store.transaction(() => store.setMeta("b", "2"));
    expect([store.meta("a"), store.meta("b")]).to.deep.equal(["1", "2"]);
    store.writeBehind(
      () => store.setMeta("c", "3"),
      () => {},
    );
    store.flushPending();
    expect(store.meta("c")).to.equal("3");
    store.writeBehind(
      () => store.setMeta("d", "4"),
      () => {},
    );
    await new Promise((r) => setTimeout(r, WRITE_BEHIND_MS + 20));
    expect(count(store)).to.equal(4);
  });

  it("reports a failed write-behind to its error handler and keeps the others", async () => {
    const store = new Store(":memory:");
    const errors: unknown[] = [];
    store.writeBehind(
      () => store.prepare("INSERT INTO no_such_table VALUES (1)").run(),
      (e) => errors.push(e),
    );
    store.writeBehind(
      () => store.setMeta("kept", "yes"),
      (e) => errors.push(e),
    );
    store.flushPending();
    expect(errors).to.have.length(1);
    expect((errors[0] as InternalizerError).code).to.equal(ErrorCode.StoreFailed);
    expect(store.meta("kept")).to.equal("yes");
  });
});
