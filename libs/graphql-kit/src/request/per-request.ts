/**
 * What lives as long as one GraphQL request, such as its DataLoaders: kept per request context
 * object, so that nothing is shared or cached across requests, and dropped with the request.
 */
export class PerRequest<T> {
  private readonly values = new WeakMap<object, T>();

  /** The request's value, made by `create` on its first use in that request. */
  of(context: object, create: () => T): T {
    let value = this.values.get(context);
    if (value === undefined) {
      value = create();
      this.values.set(context, value);
    }
    return value;
  }
}
