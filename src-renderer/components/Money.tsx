import { Typography } from 'antd';
import { formatFen } from './money-format';

interface MoneyProps {
  fen: number;
  /** Grey out zero amounts (e.g. nothing refunded yet) so real figures stand out. */
  muteZero?: boolean;
  strong?: boolean;
}

/** An amount in fen shown as ¥1,234.56, in tabular digits so columns line up. */
export function Money({ fen, muteZero, strong }: MoneyProps) {
  return (
    <Typography.Text
      type={muteZero && fen === 0 ? 'secondary' : undefined}
      strong={strong}
      style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
    >
      {formatFen(fen)}
    </Typography.Text>
  );
}
