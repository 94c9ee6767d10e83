// What an http node's result records of the response, in `node-end`.
export interface HttpSummary {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  // redacted and capped; `bodyTruncated` says when the cap cut it
  readonly body: string;
  readonly bodyTruncated: boolean;
  readonly assertions: readonly {readonly source: string; readonly passed: boolean; readonly actual: string}[];
}
