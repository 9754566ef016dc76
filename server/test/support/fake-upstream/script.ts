/** A queue of scripted answers: each request takes the next one and the last one repeats. */
export class Script<T> {
  private readonly queue: T[]

  constructor(items: T[]) {
    if (items.length === 0) throw new Error('fake upstream: a script needs at least one behaviour')
    this.queue = [...items]
  }

  next(): T {
    return (this.queue.length > 1 ? this.queue.shift() : this.queue[0]) as T
  }
}
