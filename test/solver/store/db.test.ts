import { expect } from "chai";
import { ErrorCode, InternalizerError } from "../../../solver/errors.js";
import { Store, WRITE_BEHIND_MS } from "../../../solver/store/db.js";

describe("Store write-behind", () => {
  const count = (store: Store) => (store.prepare("SELECT COUNT(*) AS n FROM meta").get() as { n: number }).n;

  it("commits every write queued before a flush in one transaction", () => {
    const store = new Store(":memory:");
    let commits = 0;
    // Transaction control runs as prepared statements, fetched by SQL text each time it runs.
    const prepare = store.prepare.bind(store);
    store.prepare = (sql: string) => {
      if (sql === "COMMIT") commits++;
      return prepare(sql);
    };
    const errors: unknown[] = [];
    for (let i = 0; i < 50; i++)
      store.writeBehind(
        () => store.setMeta(`k${i}`, String(i)),
        (e) => errors.push(e),
      );
    store.flushPending();
    expect(count(store)).to.equal(50);
    expect(commits).to.equal(1);
    expect(errors).to.deep.equal([]);
    expect(store.meta("k49")).to.equal("49");
  });

  it("rolls back a failing write alone and reports only it, with STORE_FAILED", () => {
    const store = new Store(":memory:");
    const failed: Array<[string, unknown]> = [];
    store.writeBehind(
      () => store.setMeta("a", "1"),
      (e) => failed.push(["a", e]),
    );
    store.writeBehind(
      () => {
        store.setMeta("half", "written");
        store.prepare("INSERT INTO no_such_table VALUES (1)").run();
      },
      (e) => failed.push(["half", e]),
    );
    store.writeBehind(
      () => store.setMeta("b", "2"),
      (e) => failed.push(["b", e]),
    );
    store.flushPending();
    expect(failed.map(([name]) => name)).to.deep.equal(["half"]);
    const reason = failed[0]![1];
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
});
