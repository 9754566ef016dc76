import { useMutation, useQueryClient } from '@tanstack/react-query'
import { ShieldCheck } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { logout, verifyTotp } from '../api'
import { authKeys } from '../queries'
import { AuthLayout } from './auth-layout'
import { OtpInput } from './otp-input'

/**
 * The login's TOTP step. `passwordStep` is false in the TOTP-only state (no password, codes required):
 * the code is the whole login there, so there is no password to go back to.
 */
export function TotpScreen({ passwordStep }: { passwordStep: boolean }) {
  const queryClient = useQueryClient()
  const [code, setCode] = useState('')
  const verify = useMutation({
    mutationFn: verifyTotp,
    onSuccess: (session) => {
      queryClient.setQueryData(authKeys.session(), session)
      void queryClient.invalidateQueries()
    },
    onError: () => setCode(''),
  })
  const back = useMutation({
    mutationFn: logout,
    onSettled: () => queryClient.invalidateQueries({ queryKey: authKeys.session() }),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (code.length === 6) verify.mutate(code)
  }
  return (
    <AuthLayout>
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <ShieldCheck className="size-4 text-muted-foreground" /> Two-factor verification
          </CardTitle>
          <CardDescription>
            Enter the 6-digit code from your authenticator app.
            {passwordStep ? null : ' No password is set: the code alone signs you in.'}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form className="space-y-4" onSubmit={submit}>
            <div className="space-y-2">
              <Label htmlFor="totp-code">Authentication code</Label>
              <OtpInput
                id="totp-code"
                autoFocus
                value={code}
                onChange={setCode}
                onComplete={(digits) => {
                  if (!verify.isPending) verify.mutate(digits)
                }}
                disabled={verify.isPending}
                invalid={verify.isError}
              />
            </div>
            {verify.isError ? (
              <Alert variant="destructive">
                <AlertDescription>{errorMessage(verify.error)}</AlertDescription>
              </Alert>
            ) : null}
            <Button
              type="submit"
              className="w-full"
              disabled={code.length !== 6 || verify.isPending}
            >
              {verify.isPending ? 'Verifying…' : 'Verify'}
            </Button>
            {passwordStep ? (
              <Button
                variant="ghost"
                className="w-full text-muted-foreground"
                onClick={() => back.mutate()}
                disabled={back.isPending}
              >
                Use a different password
              </Button>
            ) : null}
          </form>
        </CardContent>
      </Card>
    </AuthLayout>
  )
}
