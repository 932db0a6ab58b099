import { DatePicker, type DatePickerProps } from 'antd';

import { useIsPhone } from '../layout/useIsPhone';
import { dayjs, TZ } from '../lib/format';

type Props = Omit<DatePickerProps, 'showTime' | 'format' | 'picker'> & {
  // Only today and later can be picked (a call-back, a send time).
  future?: boolean;
};

// A date and time to the minute, as every form of the console asks for one: full width, and on a
// phone the panel only (no keyboard popping up over it). Form.Item passes value and onChange.
export default function DateTimePicker({ future, style, ...rest }: Props) {
  const phone = useIsPhone();
  return (
    <DatePicker
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      inputReadOnly={phone}
      style={{ width: '100%', ...style }}
      disabledDate={future ? (d) => d.isBefore(dayjs().tz(TZ), 'day') : undefined}
      {...rest}
    />
  );
}
