// Reads a transaction log `customer_id,date,amount` for the clv CLI, one line at a time, so a
// large export never has to sit in memory as text. Every line is checked with zod; problems
// are reported as `FILE:LINE: message`, the way compilers do, so an editor can jump to them.
import fs from "node:fs";
import readline from "node:readline";

import { z } from "zod";

import type { Transaction } from "../../app/core/clv";

export const REQUIRED_COLUMNS = ["customer_id", "date", "amount"] as const;

const MS_PER_DAY = 86_400_000;

/** One valid line of the log. `day` counts days since 1970-01-01 (the date as written). */
export interface TransactionRow {
  customerId: string;
  day: number;
  amount: number;
}

/** Bad input: every problem found, each already formatted as `FILE:LINE: message`. */
export class CsvInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "CsvInputError";
  }
}

/**
 * Splits one CSV line into fields (RFC 4180 quoting: "a,b" and "say ""hi"""). Returns null
 * for an unterminated quote; a quoted line break cannot occur because we read line by line.
 */
export function splitCsvLine(line: string): string[] | null {
  // Most exports quote nothing; split() is many times faster than the scan below.
  if (!line.includes('"')) return line.split(",");
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let runStart = 0; // start of the characters not yet copied into `field`
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') {
      field += line.slice(runStart, i);
      runStart = i + 1;
      if (!quoted) quoted = true;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
        runStart = i + 1;
      } else quoted = false;
    } else if (char === "," && !quoted) {
      fields.push(field + line.slice(runStart, i));
      field = "";
      runStart = i + 1;
    }
  }
  if (quoted) return null;
  fields.push(field + line.slice(runStart));
  return fields;
}

// YYYY-MM-DD, optionally followed by an ISO 8601 time ("T", or a space as RFC 3339 allows) with
// optional fractional seconds and a Z or +hh:mm / +hhmm / +hh offset.
const DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/i;

/**
 * The day of a date, as days since 1970-01-01, or null when the text is not YYYY-MM-DD or ISO
 * 8601 or names a day that does not exist. The day is the calendar date as written: a time and
 * offset are checked but not converted, because an order's day is the shop's local day and
 * exports write timestamps in the shop's time zone (2024-03-05T23:30:00-05:00 is 5 March).
 */
export function parseDay(text: string): number | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.map(Number);
  if (match[4] !== undefined && (hour > 23 || minute > 59)) return null;
  if (match[6] !== undefined && second > 60) return null; // 60: a leap second
  if (match[7] !== undefined && offsetHours > 23) return null;
  if (match[8] !== undefined && offsetMinutes > 59) return null;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.getTime() / MS_PER_DAY;
}

/** YYYY-MM-DD of a day number from parseDay. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const AMOUNT_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// Field checks stay inside ZodString (trim, min, regex), which is several times cheaper per line
// than a transform per field; one transform at the end converts. Messages leave out the value:
// readRow appends the offending text.
const rowSchema = z
  .object({
    customerId: z.string().trim().min(1, "customer id must not be empty"),
    date: z.string().trim().min(1, "date is empty").regex(DATE_PATTERN, "date is not YYYY-MM-DD or ISO 8601"),
    amount: z.string().trim().min(1, "amount is empty").regex(AMOUNT_PATTERN, "amount is not a number"),
  })
  .transform((fields, context): TransactionRow => {
    let valid = true;
    const day = parseDay(fields.date);
    if (day === null) {
      valid = false;
      // The pattern matched, but the day or time does not exist (2024-02-30, 25:00).
      context.addIssue({ code: z.ZodIssueCode.custom, path: ["date"], message: "date is not YYYY-MM-DD or ISO 8601" });
    }
    const amount = Number(fields.amount);
    if (!Number.isFinite(amount)) {
      valid = false;
      context.addIssue({ code: z.ZodIssueCode.custom, path: ["amount"], message: "amount is not a finite number" });
    } else if (amount < 0) {
      valid = false;
      context.addIssue({ code: z.ZodIssueCode.custom, path: ["amount"], message: "amount must not be negative" });
    }
    return valid && day !== null ? { customerId: fields.customerId, day, amount } : z.NEVER;
  });

/** Where each required column sits in a line, from the header. */
export type ColumnPositions = Record<(typeof REQUIRED_COLUMNS)[number], number> & { count: number };

/** The column positions named by a header line, or a message saying what is wrong with it. */
export function readHeader(line: string): ColumnPositions | string {
  const fields = splitCsvLine(line.replace(/^\uFEFF/, ""));
  if (fields === null) return "header has an unterminated quote";
  const names = fields.map((name) => name.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    const noun = missing.length === 1 ? "column" : "columns";
    return `header is missing ${noun} ${missing.join(", ")} (expected ${REQUIRED_COLUMNS.join(",")})`;
  }
  const duplicate = REQUIRED_COLUMNS.find((column) => names.indexOf(column) !== names.lastIndexOf(column));
  if (duplicate) return `header names column ${duplicate} twice`;
  return {
    customer_id: names.indexOf("customer_id"),
    date: names.indexOf("date"),
    amount: names.indexOf("amount"),
    count: names.length,
  };
}

/** A data line as a row, or the messages saying what is wrong with it. */
export function readRow(line: string, columns: ColumnPositions): TransactionRow | string[] {
  const fields = splitCsvLine(line);
  if (fields === null) return ["unterminated quote"];
  if (fields.length !== columns.count) {
    return [`expected ${columns.count} columns as in the header, found ${fields.length}`];
  }
  const raw = {
    customerId: fields[columns.customer_id],
    date: fields[columns.date],
    amount: fields[columns.amount],
  };
  const parsed = rowSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // One message per field (an empty date fails both min and regex), with the text at fault.
  const messages = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]);
    if (messages.has(field)) continue;
    const text = raw[field as keyof typeof raw]?.trim() ?? "";
    messages.set(field, text === "" ? issue.message : `${issue.message}: ${text}`);
  }
  return Array.from(messages.values());
}

/** The core's Transaction for a row: the day's start in UTC, which is how summaries count days. */
export function toTransaction(row: TransactionRow): Transaction {
  return { customerId: row.customerId, date: row.day * MS_PER_DAY, amount: row.amount };
}

/**
 * The rows of a log, held as columns: a number per field and each customer id once, which is
 * several times smaller than an object per row.
 */
export class TransactionLog {
  private readonly customerIds: string[] = [];
  private readonly customerIndexById = new Map<string, number>();
  private readonly customerIndexes: number[] = [];
  private readonly days: number[] = [];
  private readonly amounts: number[] = [];
  /** Earliest and latest day in the log; NaN while empty. */
  firstDay = NaN;
  lastDay = NaN;

  add(row: TransactionRow): void {
    let index = this.customerIndexById.get(row.customerId);
    if (index === undefined) {
      index = this.customerIds.length;
      this.customerIds.push(row.customerId);
      this.customerIndexById.set(row.customerId, index);
    }
    this.customerIndexes.push(index);
    this.days.push(row.day);
    this.amounts.push(row.amount);
    if (!(row.day >= this.firstDay)) this.firstDay = row.day;
    if (!(row.day <= this.lastDay)) this.lastDay = row.day;
  }

  get size(): number {
    return this.days.length;
  }

  get customerCount(): number {
    return this.customerIds.length;
  }

  /** The rows as the core's transactions, in file order, created one at a time. */
  *transactions(): Generator<Transaction> {
    for (let i = 0; i < this.days.length; i++) {
      yield toTransaction({
        customerId: this.customerIds[this.customerIndexes[i]],
        day: this.days[i],
        amount: this.amounts[i],
      });
    }
  }
}

/** Reading stops after this many problems: enough to see a pattern, not a wall of text. */
const MAX_PROBLEMS = 10;

/**
 * Reads a log from a stream; `name` is how messages refer to it. Blank lines are skipped (but
 * counted). Throws CsvInputError listing the problems when any line is bad.
 */
export async function readTransactions(input: NodeJS.ReadableStream, name: string): Promise<TransactionLog> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const log = new TransactionLog();
  const problems: string[] = [];
  let columns: ColumnPositions | null = null;
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (columns === null) {
        const header = readHeader(line);
        if (typeof header === "string") {
          problems.push(`${name}:${lineNumber}: ${header}`);
          break;
        }
        columns = header;
        continue;
      }
      if (line.trim() === "") continue;
      const row = readRow(line, columns);
      if (Array.isArray(row)) {
        problems.push(`${name}:${lineNumber}: ${row.join("; ")}`);
        if (problems.length >= MAX_PROBLEMS) {
          problems.push(`${name}: stopped reading after ${MAX_PROBLEMS} bad lines`);
          break;
        }
      } else if (problems.length === 0) {
        log.add(row);
      }
    }
  } finally {
    lines.close();
  }
  if (columns === null && problems.length === 0) {
    problems.push(`${name}:1: file is empty; expected the header ${REQUIRED_COLUMNS.join(",")}`);
  }
  if (problems.length > 0) throw new CsvInputError(problems);
  return log;
}

/** Reads a log from a file. File-system errors (missing file, say) propagate as they are. */
export async function readTransactionCsv(file: string): Promise<TransactionLog> {
  const stream = fs.createReadStream(file, { encoding: "utf8" });
  // Surface an open error (ENOENT) before readline swallows it into an empty read.
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    return await readTransactions(stream, file);
  } finally {
    stream.destroy();
  }
}
