/**
 * ═══════════════════════════════════════════════════════════════════════════════════════════════
 *  The bank-card payment institution's wire protocol (银行卡支付机构接口规范, v1)
 * ═══════════════════════════════════════════════════════════════════════════════════════════════
 * The design document (§3.3) names the institution's paths and configuration (merchant_id,
 * terminal_id, api_key, gateway_url) but there is no public specification. THIS COMMENT IS THE
 * SPECIFICATION: the adapter (bank-*.ts) and the simulator (simulator/bank-*.ts) both follow it,
 * and anything not written here is not part of the protocol. It is modelled on Chinese payment
 * institutions (UnionPay-style integer-fen amounts and yyyyMMddHHmmss times, HMAC key signatures).
 *
 * 1. TRANSPORT
 *  - Base URL = gateway_url (https only; plain http is accepted only by our sandbox on loopback).
 *  - Every call but the bill is `POST <gateway_url><path>` with `Content-Type: application/json;
 *    charset=utf-8` and a FLAT JSON object whose values are all JSON STRINGS (no numbers, no
 *    nesting, no null): a string has exactly one spelling, so both sides sign the same bytes.
 *  - HTTP status: 200 for every signed answer, business errors included; 401 for SIGN_ERROR (still
 *    signed, with the institution's current key for the merchant); 400, UNSIGNED, for
 *    MERCHANT_INVALID (no key for an unknown merchant) and for INVALID_PARAM when the body is not a
 *    JSON object of strings or the method is wrong; 5xx = SYSTEM_ERROR, outcome unknown. An answer
 *    whose signature does not verify must not be trusted at all.
 *
 * 2. TYPES AND UNITS
 *  - amount (`txn_amt`, `refund_amt`, `refunded_amt`, `fee_amt`): integer FEN as a decimal string,
 *    no sign, no leading zeros, at most 13 digits: /^(0|[1-9]\d{0,12})$/. ¥123.45 is "12345".
 *    Payment, refund and transfer amounts are ≥ "1".
 *  - time (`req_time`, `resp_time`, `expire_time`, `paid_time`, `finish_time`, `notify_time`,
 *    `create_time`): yyyyMMddHHmmss in Asia/Shanghai (UTC+8), e.g. "20261126100000".
 *  - date (`bill_date`): yyyyMMdd, an Asia/Shanghai business day.
 *  - number (`order_no`, `refund_no`, `transfer_no`, merchant's own): /^[0-9A-Za-z_-]{1,32}$/,
 *    unique per merchant. The institution's numbers (`trade_no`, `refund_trade_no`,
 *    `transfer_trade_no`) are opaque strings ≤ 32.
 *  - `currency`: "CNY" (the only value). `subject`: ≤ 128 characters. URLs ≤ 256 characters.
 *
 * 3. COMMON FIELDS
 *  Request:  merchant_id (≤32), terminal_id (≤32), req_time, nonce (/^[0-9A-Za-z]{16,32}$/, never
 *            reused within 10 minutes → NONCE_USED), sign_type ("HMAC-SHA256"), sign.
 *  Response: code ("SUCCESS" or an error code, §6), message (Chinese), merchant_id, terminal_id,
 *            nonce (THE REQUEST'S nonce echoed: binds the answer to its request, so an old signed
 *            answer cannot be replayed), resp_time, sign_type, sign; then the call's own fields.
 *  Both sides reject a req_time/resp_time/notify_time more than 5 minutes from their own clock.
 *
 * 4. SIGNATURE (requests, responses, notifications, bill headers alike)
 *  1) take every field of the object except `sign` whose value is not "" (an empty value counts as
 *     absent; unknown fields ARE signed, so the receiver verifies over all fields it received);
 *  2) sort by field name in ascending byte (ASCII) order;
 *  3) join as `k=v` with `&` — raw values, no URL encoding, no quoting, UTF-8;
 *  4) sign = lowercase hex of HMAC-SHA256(key = UTF-8 bytes of api_key, message = that string).
 *  Like Alipay's and WeChat v2's, this string is not injective ("a=1&b=2" could come from a="1&b=2"),
 *  so receivers read fields from the parsed JSON, never from the string, and require each call's
 *  mandatory fields. Compare signatures in constant time.
 *  KEY ROTATION: the institution issues a new api_key and, for 7 days, accepts requests signed with
 *  the new or the previous key; it signs each response with the key that verified the request and
 *  notifications with the current key. Receivers keep a LIST (current + previous) and accept a
 *  signature made with any key in it until the previous key is removed; they sign with the current.
 *
 * 5. CALLS (request fields besides §3 → response fields besides §3)
 *  POST /api/v1/pay/bank/quick — 快捷支付 with a bound card; the institution texts the card's phone.
 *    order_no, txn_amt, currency, subject, card_token (/^[0-9A-Za-z_-]{8,64}$/, from card binding),
 *    expire_time, notify_url  →  order_no, trade_no, txn_amt, trade_status "WAIT_CONFIRM".
 *    Repeating it with the same order_no and fields while WAIT_CONFIRM sends a NEW code (same
 *    trade_no); other fields → ORDER_CONFLICT. Errors: CARD_TOKEN_INVALID, ORDER_PAID, ORDER_CLOSED.
 *  POST /api/v1/pay/bank/quick/confirm — the payer's SMS code.
 *    order_no, trade_no, sms_code (6 digits)  →  order_no, trade_no, txn_amt, trade_status
 *    "SUCCESS", paid_time. A code lives 5 minutes; a wrong one → SMS_CODE_INVALID (the payer may
 *    retype); the 5th wrong one or an old one → SMS_CODE_EXPIRED (repeat the quick call for a new
 *    code). A PAY notification follows a successful confirm as well.
 *  POST /api/v1/pay/bank/online — 网银支付: the payer's browser goes to the institution's cashier.
 *    order_no, txn_amt, currency, subject, expire_time, notify_url, return_url, bank_code (optional,
 *    e.g. "ICBC"; empty = payer chooses)  →  order_no, trade_no, txn_amt, trade_status "WAIT_PAY",
 *    pay_url (open it in the payer's browser; valid until expire_time). Same-number rules as quick.
 *  POST /api/v1/pay/query — order_no  →  order_no, trade_no, txn_amt, trade_status (WAIT_PAY |
 *    WAIT_CONFIRM | SUCCESS | REFUNDED | CLOSED), pay_type (QUICK | ONLINE), paid_time,
 *    refunded_amt. SUCCESS may carry partial refunds (refunded_amt > 0); REFUNDED = fully refunded.
 *    A trade past expire_time is CLOSED. trade_no/txn_amt/pay_type are absent for a number that was
 *    only ever closed (see close). Error: ORDER_NOT_EXIST.
 *  POST /api/v1/pay/close — order_no  →  order_no, trade_status "CLOSED". Closing a closed trade
 *    succeeds again. Closing a number the institution has never seen succeeds and RESERVES it: every
 *    later payment request with it gets ORDER_CLOSED (a delayed create can never open it again).
 *    Error: ORDER_PAID (it was paid: query it; the payer's money is there).
 *  POST /api/v1/pay/refund — order_no, refund_no, refund_amt, txn_amt (the payment's amount, must
 *    match), reason (≤ 128), notify_url  →  order_no, refund_no, refund_trade_no, refund_amt,
 *    refund_status (PROCESSING | SUCCESS | FAILED). Several partial refunds per payment, together
 *    ≤ txn_amt, within 365 days. The same refund_no with the same fields is a safe retry that
 *    returns the existing refund; with other fields → REFUND_CONFLICT. Result arrives as a REFUND
 *    notification. Errors: ORDER_NOT_EXIST, ORDER_NOT_PAID, TXN_AMT_MISMATCH, REFUND_EXCEEDS,
 *    REFUND_EXPIRED.
 *  POST /api/v1/pay/refund/query — order_no, refund_no  →  the refund fields above plus
 *    finish_time, fee_amt (fee returned to the merchant), fail_reason. Error: REFUND_NOT_EXIST.
 *  POST /api/v1/transfer — 代付 to a bank account: transfer_no, txn_amt, payee_account (8–32
 *    digits), payee_name, payee_bank (optional), remark (≤ 64), notify_url  →  transfer_no,
 *    transfer_trade_no, txn_amt, transfer_status (PROCESSING | SUCCESS | FAILED). The receiving
 *    bank answers later: TRANSFER notification and query. Same-number rules as refunds
 *    (TRANSFER_CONFLICT). Errors: BALANCE_INSUFFICIENT, SYSTEM_BUSY.
 *  POST /api/v1/transfer/query — transfer_no  →  the fields above plus finish_time, fail_code,
 *    fail_reason. Error: TRANSFER_NOT_EXIST. fail_code (FAILED is final for that transfer_no):
 *      ACCOUNT_INVALID       no such account at the bank             not retryable: fix the payee
 *      ACCOUNT_NAME_MISMATCH payee_name is not the account's holder  not retryable: fix the payee
 *      ACCOUNT_FROZEN        account frozen or closed                not retryable: ask the payee
 *      BANK_UNAVAILABLE      receiving bank did not answer in time   retryable with a NEW transfer_no
 *  GET /api/v1/bill/download?merchant_id=&terminal_id=&bill_date=&bill_type=&req_time=&nonce=
 *    &sign_type=&sign= — the daily statement (§8). The query values are URL-encoded; the signature
 *    covers the decoded values (§4). bill_type: ALL | PAY | REFUND. A day's bill exists from 09:00
 *    the next day (BILL_NOT_READY before). Success: 200 `text/csv; charset=utf-8`, the file as body,
 *    and the signed fields in headers X-Bill-Date, X-Bill-Type, X-Content-Sha256 (lowercase hex
 *    SHA-256 of the body), X-Merchant-Id, X-Terminal-Id, X-Nonce (echo), X-Resp-Time, X-Sign-Type,
 *    X-Sign (field name = header name without "X-", lowercased, "-" → "_"). Errors come as a JSON
 *    answer (§3).
 *
 * 6. ERROR CODES (`code`; the adapter's retryable flag; "unknown" = may have acted, query first)
 *    SIGN_ERROR 401, nothing done, no · INVALID_PARAM nothing done, no · MERCHANT_INVALID 400,
 *    unsigned, no · REQ_TIME_EXPIRED nothing done, no (fix the clock) · NONCE_USED nothing done, yes
 *    (new nonce) · SYSTEM_BUSY nothing done, yes (resend the same business numbers later) ·
 *    SYSTEM_ERROR unknown · ORDER_NOT_EXIST · ORDER_PAID · ORDER_CLOSED · ORDER_CONFLICT ·
 *    ORDER_NOT_PAID · CARD_TOKEN_INVALID · SMS_CODE_INVALID yes (retype) · SMS_CODE_EXPIRED yes (new
 *    code) · TXN_AMT_MISMATCH · REFUND_EXCEEDS · REFUND_EXPIRED · REFUND_NOT_EXIST ·
 *    REFUND_CONFLICT · TRANSFER_NOT_EXIST · TRANSFER_CONFLICT · BALANCE_INSUFFICIENT yes (after
 *    funding) · BILL_NOT_READY yes (later). Unlisted codes: definite, not retryable.
 *
 * 7. NOTIFICATIONS (institution → notify_url)
 *  POST, JSON, flat string fields: notify_id (unique per event; the SAME on every retry and
 *  duplicate delivery of that event — the receiver's dedup key), notify_type (PAY | REFUND |
 *  TRANSFER), notify_time, merchant_id, terminal_id, nonce, sign_type, sign — notify_time, nonce and
 *  sign are fresh on every attempt — plus:
 *    PAY:      order_no, trade_no, txn_amt, currency, trade_status "SUCCESS", pay_type, paid_time
 *    REFUND:   order_no, refund_no, refund_trade_no, refund_amt, refund_status (SUCCESS | FAILED),
 *              finish_time, fail_reason (when FAILED)
 *    TRANSFER: transfer_no, transfer_trade_no, txn_amt, transfer_status (SUCCESS | FAILED),
 *              finish_time, fail_code, fail_reason (when FAILED)
 *  The receiver verifies the signature (any accepted key), merchant_id AND terminal_id, notify_time
 *  within 5 minutes, the amounts' format (and then, in the service, against its own records).
 *  Accept: HTTP 200, body exactly {"code":200,"message":"处理成功"} (design document §6.4.3; code is
 *  the NUMBER 200). Refuse: HTTP 400, {"code":400,"message":"<reason>"}. Anything but HTTP 200 with
 *  a numeric code 200 (incl. timeouts after 5 s) is a failed attempt, retried after 15 s, 1 min,
 *  5 min, 30 min, 1 h, 6 h (7 attempts, the last ~7 h 36 min after the first); then the merchant
 *  must query. Duplicates happen: apply each notify_id once.
 *
 * 8. DAILY STATEMENT (bank-csv)
 *  UTF-8 with a BOM (EF BB BF, so Excel shows the Chinese), lines end in CRLF, cells per RFC 4180
 *  (a cell holding , " CR or LF is wrapped in "…" with " doubled). Line 1 is the header, then one
 *  row per successful payment (PAY) or refund (REFUND) FINISHED on bill_date, ordered by
 *  finish_time, then the trailer; nothing follows the trailer's CRLF.
 *    record_type,order_no,trade_no,refund_no,refund_trade_no,pay_type,txn_amt,refund_amt,fee_amt,
 *    create_time,finish_time,subject
 *  record_type PAY | REFUND; refund_no, refund_trade_no and refund_amt are empty on PAY rows;
 *  txn_amt is the payment's amount on both kinds; fee_amt is the fee charged (PAY) or returned
 *  (REFUND); amounts in fen (§2); times as yyyy-MM-dd HH:mm:ss (Asia/Shanghai).
 *    SUMMARY,<bill_date>,<row_count>,<pay_count>,<pay_amt>,<pay_fee_amt>,<refund_count>,
 *    <refund_amt>,<refund_fee_amt>
 *  A file without the trailer, with counts or totals that differ from its rows, or whose SHA-256
 *  differs from X-Content-Sha256, is incomplete and must not be reconciled.
 *
 * 9. SANDBOX (our simulator, simulator/bank-platform.ts)
 *  sms_code "123456" is the only right code. card_token "tok_unbound" → CARD_TOKEN_INVALID.
 *  payee_account ending in 0000 → ACCOUNT_INVALID, 9999 → ACCOUNT_FROZEN, 5030 →
 *  BANK_UNAVAILABLE; an account registered in the simulator with another holder name →
 *  ACCOUNT_NAME_MISMATCH. pay_url is the simulator's pay page
 *  (<simulator>/__sim/pay-page?platform=bank&orderNo=…), where a button pays the trade.
 *
 * 10. WORKED EXAMPLE (api_key "sandbox-api-key-0123456789abcdef"; checked byte for byte by
 *  test/unit/gateways/bank-sign.test.ts; the signature was computed independently with Python's
 *  hmac module and `openssl dgst -sha256 -hmac`)
 *  POST /api/v1/pay/bank/online
 *    {"merchant_id":"888000000000001","terminal_id":"T0000001","order_no":"P20261126100000123456",
 *     "txn_amt":"12345","currency":"CNY","subject":"客房餐费-1208房","expire_time":"20261126103000",
 *     "notify_url":"https://pay.example.com/api/payment/callback/bank",
 *     "return_url":"https://pay.example.com/pay/return","bank_code":"","req_time":"20261126100000",
 *     "nonce":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS","sign_type":"HMAC-SHA256","sign":"<below>"}
 *  signing string (bank_code is empty, so it is left out):
 *    currency=CNY&expire_time=20261126103000&merchant_id=888000000000001&nonce=5K8264ILTKCH16CQ2502SI8ZNMTM67VS&notify_url=https://pay.example.com/api/payment/callback/bank&order_no=P20261126100000123456&req_time=20261126100000&return_url=https://pay.example.com/pay/return&sign_type=HMAC-SHA256&subject=客房餐费-1208房&terminal_id=T0000001&txn_amt=12345
 *  sign = 62c21f050a3156415da86b65e575a763a754f959b979f08fd3334b04f73ce1b0
 *  The PAY notification for it (notify_id "N20261126100005000001", notify_time "20261126100005",
 *  trade_no "BK20261126100000000001", paid_time "20261126100004", pay_type "ONLINE", nonce
 *  "Q7W1X9ZK3M5N2B8V", other fields as above) is signed
 *    fbb7555a4c38a748f2a0c7006e39d0eac47bda23e91b630655a6cbab07ac0f6e
 */

export const BANK_PATHS = {
  quick: '/api/v1/pay/bank/quick',
  quickConfirm: '/api/v1/pay/bank/quick/confirm',
  online: '/api/v1/pay/bank/online',
  query: '/api/v1/pay/query',
  close: '/api/v1/pay/close',
  refund: '/api/v1/pay/refund',
  refundQuery: '/api/v1/pay/refund/query',
  transfer: '/api/v1/transfer',
  transferQuery: '/api/v1/transfer/query',
  bill: '/api/v1/bill/download',
} as const;

export const SIGN_TYPE = 'HMAC-SHA256';
export const CURRENCY = 'CNY';
export const MAX_SKEW_MS = 5 * 60_000;
export const NONCE_TTL_MS = 10 * 60_000;
export const SMS_CODE_TTL_MS = 5 * 60_000;
export const SMS_MAX_WRONG = 5;
export const REFUND_WINDOW_MS = 365 * 24 * 3_600_000;
export const SANDBOX_SMS_CODE = '123456';
/** §7: waits after attempt 1, 2, … before the next one. */
export const BANK_RETRY_SCHEDULE_MS: readonly number[] = [15, 60, 300, 1800, 3600, 21600].map((s) => s * 1000);
export const NOTIFY_ACK = { code: 200, message: '处理成功' } as const;

export const NUMBER_PATTERN = /^[0-9A-Za-z_-]{1,32}$/;
export const NONCE_PATTERN = /^[0-9A-Za-z]{16,32}$/;
export const CARD_TOKEN_PATTERN = /^[0-9A-Za-z_-]{8,64}$/;
export const ACCOUNT_PATTERN = /^\d{8,32}$/;

export type TradeStatusCode = 'WAIT_PAY' | 'WAIT_CONFIRM' | 'SUCCESS' | 'REFUNDED' | 'CLOSED';
export type RefundStatusCode = 'PROCESSING' | 'SUCCESS' | 'FAILED';
export type TransferStatusCode = 'PROCESSING' | 'SUCCESS' | 'FAILED';
export type PayType = 'QUICK' | 'ONLINE';
export type NotifyType = 'PAY' | 'REFUND' | 'TRANSFER';
export type TransferFailCode = 'ACCOUNT_INVALID' | 'ACCOUNT_NAME_MISMATCH' | 'ACCOUNT_FROZEN' | 'BANK_UNAVAILABLE';

/** §5: only BANK_UNAVAILABLE may succeed on a new attempt; the others need a person to fix the payee. */
export const TRANSFER_FAIL_RETRYABLE: Record<TransferFailCode, boolean> = {
  ACCOUNT_INVALID: false,
  ACCOUNT_NAME_MISMATCH: false,
  ACCOUNT_FROZEN: false,
  BANK_UNAVAILABLE: true,
};

export function isTransferFailCode(code: string): code is TransferFailCode {
  return Object.hasOwn(TRANSFER_FAIL_RETRYABLE, code);
}

export const TRANSFER_FAIL_TEXT: Record<TransferFailCode, string> = {
  ACCOUNT_INVALID: '收款账号不存在',
  ACCOUNT_NAME_MISMATCH: '收款户名与账号不符',
  ACCOUNT_FROZEN: '收款账户已冻结或销户',
  BANK_UNAVAILABLE: '收款银行暂不可用',
};

export type BankErrorCode =
  | 'SIGN_ERROR'
  | 'INVALID_PARAM'
  | 'MERCHANT_INVALID'
  | 'REQ_TIME_EXPIRED'
  | 'NONCE_USED'
  | 'SYSTEM_BUSY'
  | 'SYSTEM_ERROR'
  | 'ORDER_NOT_EXIST'
  | 'ORDER_PAID'
  | 'ORDER_CLOSED'
  | 'ORDER_CONFLICT'
  | 'ORDER_NOT_PAID'
  | 'CARD_TOKEN_INVALID'
  | 'SMS_CODE_INVALID'
  | 'SMS_CODE_EXPIRED'
  | 'TXN_AMT_MISMATCH'
  | 'REFUND_EXCEEDS'
  | 'REFUND_EXPIRED'
  | 'REFUND_NOT_EXIST'
  | 'REFUND_CONFLICT'
  | 'TRANSFER_NOT_EXIST'
  | 'TRANSFER_CONFLICT'
  | 'BALANCE_INSUFFICIENT'
  | 'BILL_NOT_READY';

/** §6, with the Chinese message the institution sends. */
export const BANK_ERRORS: Record<BankErrorCode, { retryable: boolean; message: string }> = {
  SIGN_ERROR: { retryable: false, message: '签名错误' },
  INVALID_PARAM: { retryable: false, message: '参数错误' },
  MERCHANT_INVALID: { retryable: false, message: '商户或终端不存在' },
  REQ_TIME_EXPIRED: { retryable: false, message: '请求时间与服务器时间相差超过5分钟' },
  NONCE_USED: { retryable: true, message: '随机串已使用' },
  SYSTEM_BUSY: { retryable: true, message: '系统繁忙，请稍后重试' },
  SYSTEM_ERROR: { retryable: false, message: '系统错误，结果未知，请查询' },
  ORDER_NOT_EXIST: { retryable: false, message: '订单不存在' },
  ORDER_PAID: { retryable: false, message: '订单已支付' },
  ORDER_CLOSED: { retryable: false, message: '订单已关闭' },
  ORDER_CONFLICT: { retryable: false, message: '订单号重复且参数不一致' },
  ORDER_NOT_PAID: { retryable: false, message: '订单未支付' },
  CARD_TOKEN_INVALID: { retryable: false, message: '银行卡未绑定或绑定已失效' },
  SMS_CODE_INVALID: { retryable: true, message: '短信验证码错误' },
  SMS_CODE_EXPIRED: { retryable: true, message: '短信验证码已失效，请重新获取' },
  TXN_AMT_MISMATCH: { retryable: false, message: '原交易金额不符' },
  REFUND_EXCEEDS: { retryable: false, message: '退款金额超过可退金额' },
  REFUND_EXPIRED: { retryable: false, message: '已超过退款期限' },
  REFUND_NOT_EXIST: { retryable: false, message: '退款单不存在' },
  REFUND_CONFLICT: { retryable: false, message: '退款单号重复且参数不一致' },
  TRANSFER_NOT_EXIST: { retryable: false, message: '转账单不存在' },
  TRANSFER_CONFLICT: { retryable: false, message: '转账单号重复且参数不一致' },
  BALANCE_INSUFFICIENT: { retryable: true, message: '商户可用余额不足' },
  BILL_NOT_READY: { retryable: true, message: '对账单尚未生成' },
};

export function isBankErrorCode(code: string): code is BankErrorCode {
  return Object.hasOwn(BANK_ERRORS, code);
}

/** §8. */
export const BILL_HEADER = [
  'record_type', 'order_no', 'trade_no', 'refund_no', 'refund_trade_no', 'pay_type',
  'txn_amt', 'refund_amt', 'fee_amt', 'create_time', 'finish_time', 'subject',
] as const;
export const BILL_SIGNED_HEADERS = ['bill_date', 'bill_type', 'content_sha256', 'merchant_id', 'terminal_id', 'nonce', 'resp_time', 'sign_type', 'sign'] as const;

/** §10, as data: the unit test signs `request` and must get `sign` and `signingString` exactly. */
export const WORKED_EXAMPLE = {
  apiKey: 'sandbox-api-key-0123456789abcdef',
  request: {
    merchant_id: '888000000000001',
    terminal_id: 'T0000001',
    order_no: 'P20261126100000123456',
    txn_amt: '12345',
    currency: 'CNY',
    subject: '客房餐费-1208房',
    expire_time: '20261126103000',
    notify_url: 'https://pay.example.com/api/payment/callback/bank',
    return_url: 'https://pay.example.com/pay/return',
    bank_code: '',
    req_time: '20261126100000',
    nonce: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    sign_type: 'HMAC-SHA256',
  },
  signingString:
    'currency=CNY&expire_time=20261126103000&merchant_id=888000000000001&nonce=5K8264ILTKCH16CQ2502SI8ZNMTM67VS&notify_url=https://pay.example.com/api/payment/callback/bank&order_no=P20261126100000123456&req_time=20261126100000&return_url=https://pay.example.com/pay/return&sign_type=HMAC-SHA256&subject=客房餐费-1208房&terminal_id=T0000001&txn_amt=12345',
  sign: '62c21f050a3156415da86b65e575a763a754f959b979f08fd3334b04f73ce1b0',
  notification: {
    notify_id: 'N20261126100005000001',
    notify_type: 'PAY',
    notify_time: '20261126100005',
    merchant_id: '888000000000001',
    terminal_id: 'T0000001',
    order_no: 'P20261126100000123456',
    trade_no: 'BK20261126100000000001',
    txn_amt: '12345',
    currency: 'CNY',
    trade_status: 'SUCCESS',
    pay_type: 'ONLINE',
    paid_time: '20261126100004',
    nonce: 'Q7W1X9ZK3M5N2B8V',
    sign_type: 'HMAC-SHA256',
  },
  notificationSign: 'fbb7555a4c38a748f2a0c7006e39d0eac47bda23e91b630655a6cbab07ac0f6e',
} as const;
