/* localStorage in memory for the store's tests: a Map behind the Web Storage methods. `quota`
   (characters of keys and values, as browsers count them) makes setItem throw a
   QuotaExceededError as a full browser does; `fail` makes every access throw a SecurityError as
   storage disabled by the browser does. Both may be changed at any moment of a test. */
export class FakeStorage {
  constructor({ quota = Infinity, fail = false, items = {} } = {}) {
    this.map = new Map(Object.entries(items));
    this.quota = quota;
    this.fail = fail;
  }
  #check() {
    if (this.fail) throw new DOMException("The operation is insecure.", "SecurityError");
  }
  get length() {
    this.#check();
    return this.map.size;
  }
  key(i) {
    this.#check();
    return [...this.map.keys()][i] ?? null;
  }
  getItem(key) {
    this.#check();
    return this.map.get(String(key)) ?? null;
  }
  setItem(key, value) {
    this.#check();
    [key, value] = [String(key), String(value)];
    const old = this.map.has(key) ? key.length + this.map.get(key).length : 0;
    if (this.used() - old + key.length + value.length > this.quota) {
      throw new DOMException(`Setting the value of '${key}' exceeded the quota.`, "QuotaExceededError");
    }
    this.map.set(key, value);
  }
  removeItem(key) {
    this.#check();
    this.map.delete(String(key));
  }
  used() {
    let n = 0;
    for (const [key, value] of this.map) n += key.length + value.length;
    return n;
  }
  // The stored value of `key`, parsed (null when absent): what a test asserts about storage.
  json(key) {
    return this.map.has(key) ? JSON.parse(this.map.get(key)) : null;
  }
}
