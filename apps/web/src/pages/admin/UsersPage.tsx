import { PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { adminKeys, usersApi, type AdminUser, type CreateUserBody, type UpdateUserBody } from '../../api/admin';
import type { Role } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/format';
import { showApiError } from './apiErrors';
import { EditModal } from './EditModal';

const ROLES: Role[] = ['admin', 'manager', 'butler'];
const ROLE_COLORS: Record<Role, string> = { admin: 'red', manager: 'gold', butler: 'blue' };
const USER_FIELDS = [
  'email',
  'name',
  'mobile',
  'role',
  'managerId',
  'alertChannels',
  'password',
  'active',
  'wecomUserId',
  'region',
] as const;
const ALERT_CHANNELS: AlertChannel[] = ['email', 'sms'];
type AlertChannel = AdminUser['alertChannels'][number];

interface UserFormValues {
  email: string;
  name: string;
  mobile?: string;
  role: Role;
  managerId?: string;
  alertChannels: AlertChannel[];
  password?: string;
  active: boolean;
  // 企业微信 UserID; empty unbinds.
  wecomUserId?: string | null;
  // A manager's team's region (华东, 西南…); empty removes it.
  region?: string | null;
}

// An emptied mobile field removes the mobile.
const mobileOf = (values: UserFormValues): string | null => values.mobile?.trim() || null;

// PATCH sends what the form holds, the password only when a new one was typed, and a manager only
// for a butler (the API refuses one for the other roles).
function userUpdateBody(user: AdminUser, values: UserFormValues): UpdateUserBody {
  const body: UpdateUserBody = {
    name: values.name.trim(),
    role: values.role,
    active: values.active,
    mobile: mobileOf(values),
    alertChannels: values.alertChannels,
  };
  if (values.email.trim().toLowerCase() !== user.email) body.email = values.email.trim();
  if (values.role === 'butler' && values.managerId) body.managerId = values.managerId;
  if (values.password) body.password = values.password;
  const wecomUserId = values.wecomUserId?.trim() || null;
  if (wecomUserId !== user.wecomUserId) body.wecomUserId = wecomUserId;
  const region = values.region?.trim() || null;
  if (values.role === 'manager' && region !== user.region) body.region = region;
  return body;
}

function UserModal({
  user,
  managers,
  onClose,
}: {
  user: AdminUser | null;
  managers: AdminUser[];
  onClose: () => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UserFormValues>();
  const role = Form.useWatch('role', form);
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (values: UserFormValues) => {
      if (user) return usersApi.update(user.id, userUpdateBody(user, values));
      const body: CreateUserBody = {
        email: values.email.trim(),
        name: values.name.trim(),
        role: values.role,
        password: values.password ?? '',
        mobile: mobileOf(values),
        alertChannels: values.alertChannels,
      };
      if (values.role === 'butler') body.managerId = values.managerId;
      if (values.wecomUserId?.trim()) body.wecomUserId = values.wecomUserId.trim();
      if (values.role === 'manager' && values.region?.trim()) body.region = values.region.trim();
      return usersApi.create(body);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.usersAll });
      message.success(t(user ? 'users.updated' : 'users.created', { name: saved.name }));
      onClose();
    },
    onError: (error) => setProblems(showApiError(form, error, { known: USER_FIELDS })),
  });
  const initialValues: Partial<UserFormValues> = user
    ? {
        email: user.email,
        name: user.name,
        role: user.role,
        managerId: user.managerId ?? undefined,
        mobile: user.mobile ?? undefined,
        alertChannels: user.alertChannels,
        active: user.active,
        wecomUserId: user.wecomUserId,
        region: user.region,
      }
    : { role: 'butler', active: true, alertChannels: ['email'] };
  return (
    <EditModal
      title={user ? t('users.editTitle', { name: user.name }) : t('users.createTitle')}
      saving={save.isPending}
      problems={problems}
      onSave={() => form.submit()}
      onClose={onClose}
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => {
          setProblems([]);
          save.mutate(values);
        }}
      >
        <Form.Item
          name="email"
          label={t('users.email')}
          rules={[{ required: true, type: 'email', message: t('users.emailInvalid') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('users.name')}
          rules={[{ required: true, whitespace: true, message: t('requiredField', { label: t('users.name') }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={t('users.mobile')}
          extra={t('users.mobileHelp')}
          rules={[{ pattern: /^\s*(\+?86)?[\s-]*1[3-9](\d[\s-]*){9}$/, message: t('users.mobileInvalid') }]}
        >
          <Input autoComplete="off" inputMode="tel" />
        </Form.Item>
        <Form.Item
          name="alertChannels"
          label={t('users.alertChannels')}
          extra={t('users.alertChannelsHelp')}
          rules={[{ required: true, type: 'array', min: 1, message: t('users.alertChannelsRequired') }]}
        >
          <Checkbox.Group
            options={ALERT_CHANNELS.map((c) => ({ value: c, label: t(`users.alertChannelValues.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))} />
        </Form.Item>
        {role === 'butler' && (
          <Form.Item
            name="managerId"
            label={t('users.manager')}
            rules={[{ required: true, message: t('requiredField', { label: t('users.manager') }) }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={managers
                .filter((m) => m.active || m.id === user?.managerId)
                .map((m) => ({ value: m.id, label: `${m.name}（${m.email}）` }))}
            />
          </Form.Item>
        )}
        {role === 'manager' && (
          <Form.Item name="region" label={t('users.region')} extra={t('users.regionHelp')}>
            <Input autoComplete="off" maxLength={40} />
          </Form.Item>
        )}
        <Form.Item
          name="password"
          label={user ? t('users.newPassword') : t('users.password')}
          extra={user ? t('users.newPasswordHelp') : undefined}
          rules={[
            { required: !user, message: t('users.passwordRule') },
            { min: 8, message: t('users.passwordRule') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="wecomUserId" label={t('users.wecomUserId')} extra={t('users.wecomUserIdHelp')}>
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        {user && (
          <Form.Item name="active" label={t('users.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </EditModal>
  );
}

function TeamsView({ users }: { users: AdminUser[] }) {
  const { t } = useTranslation(['admin', 'common']);
  const managers = users.filter((u) => u.role === 'manager');
  const columns: TableColumnsType<AdminUser> = [
    { title: t('users.name'), dataIndex: 'name' },
    { title: t('users.email'), dataIndex: 'email', ellipsis: true },
    {
      title: t('status'),
      dataIndex: 'active',
      width: 80,
      render: (active: boolean) => (
        <Badge status={active ? 'success' : 'default'} text={active ? t('active') : t('inactive')} />
      ),
    },
  ];
  if (managers.length === 0) return <Empty description={t('common:none')} />;
  return (
    <Row gutter={[16, 16]}>
      {managers.map((manager) => {
        const team = users.filter((u) => u.role === 'butler' && u.managerId === manager.id);
        return (
          <Col key={manager.id} xs={24} lg={12}>
            <Card
              size="small"
              title={
                <Space>
                  <TeamOutlined />
                  {t('users.teamOf', { name: manager.name })}
                  {manager.region && <Tag color="blue">{manager.region}</Tag>}
                  {!manager.active && <Tag>{t('inactive')}</Tag>}
                </Space>
              }
              extra={
                <Typography.Text type="secondary">{t('users.butlerCount', { count: team.length })}</Typography.Text>
              }
              data-testid={`team-${manager.id}`}
            >
              <Table<AdminUser>
                size="small"
                rowKey="id"
                columns={columns}
                dataSource={team}
                pagination={false}
                scroll={{ x: 420 }}
                locale={{ emptyText: t('users.noButlers') }}
              />
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

export default function UsersPage() {
  const { t } = useTranslation(['admin', 'common']);
  const [role, setRole] = useState<Role | undefined>();
  const [managerId, setManagerId] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const filter = { role, managerId };
  const list = useQuery({ queryKey: adminKeys.users(filter), queryFn: () => usersApi.list(filter) });
  // Everyone, for manager names, the team filter and the team view.
  const everyone = useQuery({ queryKey: adminKeys.users(), queryFn: () => usersApi.list() });
  const all = useMemo(() => everyone.data?.items ?? [], [everyone.data]);
  const managers = useMemo(() => all.filter((u) => u.role === 'manager'), [all]);
  const nameOf = useMemo(() => new Map(all.map((u) => [u.id, u.name])), [all]);
  // Users are few (a brand's staff): the list is searched in the browser by name or email.
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const items = list.data?.items ?? [];
    return q ? items.filter((u) => u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q)) : items;
  }, [list.data, search]);

  const columns: TableColumnsType<AdminUser> = [
    { title: t('users.name'), dataIndex: 'name', fixed: 'left', width: 120 },
    { title: t('users.email'), dataIndex: 'email', width: 220, ellipsis: true },
    {
      title: t('users.role'),
      dataIndex: 'role',
      width: 90,
      render: (r: Role) => <Tag color={ROLE_COLORS[r]}>{t(`common:roles.${r}`)}</Tag>,
    },
    {
      title: t('users.team'),
      dataIndex: 'managerId',
      width: 120,
      render: (id: string | null) => (id ? (nameOf.get(id) ?? '—') : '—'),
    },
    {
      title: t('status'),
      dataIndex: 'active',
      width: 90,
      render: (active: boolean) => (
        <Badge status={active ? 'success' : 'default'} text={active ? t('active') : t('inactive')} />
      ),
    },
    {
      title: t('users.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      width: 150,
      render: (v: string | null) => formatDateTime(v),
    },
    {
      title: t('actions'),
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, user) => (
        <Button
          type="link"
          size="small"
          onClick={() => setEditing(user)}
          aria-label={`${t('common:edit')} ${user.name}`}
        >
          {t('common:edit')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('users.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('users.create')}
        </Button>
      }
    >
      <Tabs
        items={[
          {
            key: 'list',
            label: t('users.tabList'),
            children: (
              <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                <Space wrap>
                  <Input.Search
                    allowClear
                    placeholder={t('users.search')}
                    aria-label={t('users.search')}
                    style={{ width: 220 }}
                    value={search}
                    onChange={(e) => setSearch(e.target.value)}
                  />
                  <Select<Role>
                    allowClear
                    placeholder={t('users.filterRole')}
                    aria-label={t('users.filterRole')}
                    style={{ width: 160 }}
                    value={role}
                    onChange={setRole}
                    options={ROLES.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))}
                  />
                  <Select<string>
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    placeholder={t('users.filterTeam')}
                    aria-label={t('users.filterTeam')}
                    style={{ width: 200 }}
                    value={managerId}
                    onChange={setManagerId}
                    options={managers.map((m) => ({ value: m.id, label: m.name }))}
                  />
                </Space>
                {list.isError && (
                  <ErrorAlert title={t('common:loadFailed')} error={list.error} onRetry={() => list.refetch()} />
                )}
                <Table<AdminUser>
                  rowKey="id"
                  size="middle"
                  loading={list.isPending}
                  columns={columns}
                  dataSource={shown}
                  scroll={{ x: 860 }}
                  pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
                />
              </Space>
            ),
          },
          { key: 'teams', label: t('users.tabTeams'), children: <TeamsView users={all} /> },
        ]}
      />
      {editing && (
        <UserModal user={editing === 'new' ? null : editing} managers={managers} onClose={() => setEditing(null)} />
      )}
    </Card>
  );
}
