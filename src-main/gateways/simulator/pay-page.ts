import { formatYuan } from '../../core/money';
import type { SimTrade } from './ledger';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const LABELS: Record<string, string> = { wechat: '微信支付', alipay: '支付宝', bank: '银行卡' };

/** The page a payer "pays" on in the sandbox: plain HTML, a form, no script. */
export function payPage(platform: string, trade: SimTrade | undefined, message?: string): string {
  const body = !trade
    ? `<p class="err">没有找到这笔交易</p>`
    : `<dl><dt>商户订单号</dt><dd>${esc(trade.orderNo)}</dd><dt>商品</dt><dd>${esc(trade.description)}</dd>
       <dt>金额</dt><dd class="amt">${formatYuan(trade.amountFen)}</dd><dt>状态</dt><dd>${esc(trade.state)}</dd></dl>
       ${trade.state === 'pending' ? `<form method="post"><input type="hidden" name="platform" value="${esc(platform)}"><input type="hidden" name="orderNo" value="${esc(trade.orderNo)}"><button type="submit">确认支付</button></form>` : ''}`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${LABELS[platform] ?? platform} 模拟支付</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:420px;margin:40px auto;padding:24px;border:1px solid #ddd;border-radius:8px}
dt{color:#888;font-size:13px}dd{margin:0 0 12px}.amt{font-size:28px;font-weight:600}button{width:100%;padding:12px;font-size:16px;background:#07c160;color:#fff;border:0;border-radius:6px}
.err{color:#c00}.note{color:#888;font-size:12px}</style></head><body><h2>${LABELS[platform] ?? platform}（沙箱模拟）</h2>
${message ? `<p>${esc(message)}</p>` : ''}${body}<p class="note">这是本地支付平台模拟器，不会产生真实扣款。</p></body></html>`;
}
